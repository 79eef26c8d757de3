// `cllm embed`: a checkpoint's token embeddings as TensorBoard Embedding Projector files, with token
// metadata (label, prime, clock class, corpus frequency) and optionally a 2-D/3-D projection.

#include <cstdio>
#include <filesystem>
#include <string>

#include "commands.h"
#include "common.h"
#include "data/builtin_corpus.h"
#include "inspect/embedding_matrix.h"
#include "inspect/projector_export.h"
#include "inspect/token_projection.h"
#include "inspect/token_table.h"
#include "io/checkpoint.h"
#include "model/gpt.h"
#include "text/tokenizer.h"
#include "util/error.h"

namespace cllm::cli {
namespace {

struct EmbedOptions {
  std::string checkpoint = kDefaultCheckpoint;
  bool allow_unverified = false;
  std::string out_dir;
  std::string projection;
  int dims = 3;
  std::string corpus;
  int threads = 0;
  bool json = false;
};

// Token frequencies and a sentence saying where they come from (or why they are unknown).
struct Frequencies {
  std::vector<int64_t> counts;  // empty when unknown
  std::string source;
  int64_t tokens = 0;
};

Frequencies count_over(const Tokenizer& tok, const Corpus& corpus) {
  Frequencies f;
  std::vector<int32_t> ids;
  try {
    ids = tok.encode(corpus.text);
  } catch (const Error& e) {
    throw Error("cannot count token frequencies over " + corpus.name + ": " + e.what());
  }
  f.counts = token_frequencies(tok, ids);
  f.tokens = static_cast<int64_t>(ids.size());
  f.source =
      "counted over " + corpus.name + ", " + group_thousands(static_cast<double>(f.tokens)) + " tokens";
  return f;
}

// The corpus the run trained on, when it is still there unchanged (same name, size and XXH3 as recorded).
Frequencies training_corpus_frequencies(const Checkpoint& ck) {
  if (!ck.training) return {{}, "unknown: the checkpoint records no training corpus (use --corpus)", 0};
  const CorpusIdentity& id = ck.training->corpus;
  Corpus corpus;
  if (id.name == "built-in") {
    corpus = builtin_corpus();
  } else {
    if (!std::filesystem::exists(id.name))
      return {{}, "unknown: the training corpus " + id.name + " is not found from here (use --corpus)", 0};
    try {
      corpus = load_corpus(id.name);
    } catch (const Error& e) {
      return {{}, std::string("unknown: ") + e.what(), 0};
    }
  }
  if (identify_corpus(corpus.name, corpus.text) != id)
    return {
        {}, "unknown: " + id.name + " has changed since training (size or XXH3 differs; use --corpus)", 0};
  return count_over(*ck.tokenizer, corpus);
}

// The projection the workbench's 3-D view shows for the same scene (inspect/token_projection.h), cut to
// `dims` columns.
Projection make_projection(const std::string& name, int dims, const std::vector<float>& embeddings, int V,
                           int C, std::vector<double>& variance_share) {
  const std::string scene = name == "pca" ? (dims == 3 ? "pca3d" : "pca2d") : name;
  const TokenProjection tp = project_tokens(scene, embeddings, V, C);
  variance_share = tp.pca.variance_share;
  Projection p{name, dims, {}};
  p.coordinates.reserve(static_cast<size_t>(V) * static_cast<size_t>(dims));
  for (size_t v = 0; v < static_cast<size_t>(V); ++v)
    for (size_t c = 0; c < static_cast<size_t>(dims); ++c) p.coordinates.push_back(tp.xyz[3 * v + c]);
  return p;
}

void run(const EmbedOptions& o) {
  require(!o.out_dir.empty(), "--out-dir is required: the folder to write vectors.tsv and metadata.tsv into");
  require(o.projection.empty() || o.projection == "pca" || o.projection == "cone" ||
              o.projection == "clock" || o.projection == "helix" || o.projection == "ulam",
          "unknown projection \"" + o.projection + "\" (expected pca, cone, clock, helix or ulam)");
  require(o.dims == 2 || o.dims == 3, "--dims must be 2 or 3, got " + std::to_string(o.dims));
  apply_threads(o.threads);
  const Checkpoint ck = load_checkpoint_warning_if_unverified(o.checkpoint, o.allow_unverified);
  const auto model = make_model(ck);
  const std::vector<float> embeddings = token_embeddings(*model);
  const int V = model->config().vocab_size, C = model->config().n_embd;

  const Frequencies freq =
      o.corpus.empty()
          ? training_corpus_frequencies(ck)
          : count_over(*ck.tokenizer, load_corpus_or_builtin(o.corpus == "built-in" ? "" : o.corpus));
  const std::vector<TokenInfo> table = token_table(*ck.tokenizer, freq.counts);
  std::vector<double> variance_share;
  std::optional<Projection> projection;
  if (!o.projection.empty())
    projection = make_projection(o.projection, o.dims, embeddings, V, C, variance_share);
  const ProjectorFiles files =
      export_projector(o.out_dir, embeddings.data(), V, C, table, projection ? &*projection : nullptr);

  if (o.json) {
    nlohmann::json j = {
        {"checkpoint", o.checkpoint},
        {"out_dir", o.out_dir},
        {"tokens", V},
        {"dimensions", C},
        {"files",
         {{"vectors", files.vectors.string()},
          {"metadata", files.metadata.string()},
          {"projection", projection ? nlohmann::json(files.projection.string()) : nlohmann::json()}}},
        {"projection", projection ? nlohmann::json(o.projection) : nlohmann::json()},
        {"dims", o.dims},
        {"frequencies", {{"known", !freq.counts.empty()}, {"source", freq.source}, {"tokens", freq.tokens}}}};
    if (!variance_share.empty()) j["variance_share"] = variance_share;
    print_json(j);
    return;
  }
  std::printf("wrote %s (%d tokens × %d dimensions)\n", files.vectors.c_str(), V, C);
  std::printf("wrote %s (token frequencies %s)\n", files.metadata.c_str(), freq.source.c_str());
  if (projection)
    std::printf("wrote %s (%s, %d-D)\n", files.projection.c_str(), o.projection.c_str(), o.dims);
  if (!variance_share.empty()) {
    double total = 0;
    std::printf("PCA variance:");
    for (size_t c = 0; c < variance_share.size(); ++c) {
      std::printf("%s PC%zu %.1f%%", c ? "," : "", c + 1, 100 * variance_share[c]);
      total += variance_share[c];
    }
    std::printf(" (%.1f%% together)\n", 100 * total);
  }
  std::printf(
      "load vectors.tsv and metadata.tsv in the TensorBoard Embedding Projector "
      "(projector.tensorflow.org)\n");
}

}  // namespace

void add_embed_command(CLI::App& app) {
  auto o = std::make_shared<EmbedOptions>();
  CLI::App* cmd =
      app.add_subcommand("embed", "export token embeddings for TensorBoard's Embedding Projector");
  cmd->add_option("-c,--checkpoint", o->checkpoint, "checkpoint whose embeddings to export")
      ->capture_default_str();
  add_allow_unverified_option(*cmd, o->allow_unverified);
  cmd->add_option("--out-dir", o->out_dir, "folder for vectors.tsv, metadata.tsv (created when missing)");
  cmd->add_option("--projection", o->projection,
                  "also write projection-NAME.tsv: pca, cone, clock, helix or ulam");
  cmd->add_option("--dims", o->dims, "dimensions of the projection, 2 or 3")->capture_default_str();
  cmd->add_option(
      "--corpus", o->corpus,
      "count token frequencies over this .txt file or folder, or built-in (default: the corpus the "
      "checkpoint was trained on, when unchanged)");
  add_threads_option(*cmd, o->threads);
  cmd->add_flag("--json", o->json, "print one JSON object");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
