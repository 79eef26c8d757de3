// Every way a checkpoint can be wrong gives a clear cllm::Error naming the file — never a crash.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <xxhash.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "data/corpus.h"
#include "io/checkpoint.h"
#include "io/safetensors.h"
#include "session/training_session.h"
#include "util/error.h"

namespace cllm {
namespace {

namespace fs = std::filesystem;

class CorruptCheckpoint : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cllm-corrupt-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    Corpus corpus;
    corpus.name = "t";
    for (int i = 0; i < 300; ++i) corpus.text += "hello world " + std::to_string(i) + "\n";
    TrainingSession::NewRun run;
    run.model = model_preset("tiny");
    run.model.block_size = 16;
    run.train.batch_size = 2;
    run.train.eval_batches = 1;
    session_ = TrainingSession::start(corpus, run);
    good_ = dir_ / "good.safetensors";
    session_->save(good_);
    std::ifstream in(good_, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes_ = ss.str();
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }
  // Loads and returns the error message (empty if it loaded).
  static std::string load_error(const fs::path& p, Verification verification = Verification::kRequired) {
    try {
      load_checkpoint(p, verification);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
  // Rewrites the good checkpoint with one metadata entry changed (or removed when value is empty).
  fs::path with_metadata(const std::string& key, const std::string& value) {
    const SafetensorsFile f = SafetensorsFile::open(good_);
    Metadata meta = f.metadata();
    meta.erase(kFileChecksumKey);
    if (value.empty())
      meta.erase(key);
    else
      meta[key] = value;
    std::vector<TensorToWrite> tensors;
    for (const auto& t : f.tensors())
      tensors.push_back({t.name, t.dtype, t.shape, f.data(t.name, t.dtype, t.shape).data()});
    const fs::path p = dir_ / ("meta-" + key + ".safetensors");
    write_safetensors(p, tensors, meta);
    return p;
  }

  // The good file's bytes with `from` (which must occur once) replaced by `to` of the same length.
  std::string edited(const std::string& from, const std::string& to) const {
    EXPECT_EQ(from.size(), to.size());
    const size_t at = bytes_.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    EXPECT_EQ(bytes_.find(from, at + 1), std::string::npos) << from;
    std::string b = bytes_;
    if (at != std::string::npos) b.replace(at, from.size(), to);
    return b;
  }
  // The whole-file checksum entry of the good file, `"cllm.file_xxh3":"<16 digits>",`.
  std::string checksum_entry() const {
    const SafetensorsFile f = SafetensorsFile::open(good_);
    return "\"" + std::string(kFileChecksumKey) + "\":\"" + f.metadata().at(kFileChecksumKey) + "\",";
  }

  fs::path dir_, good_;
  std::string bytes_;
  std::unique_ptr<TrainingSession> session_;
};

TEST_F(CorruptCheckpoint, GoodFileLoads) {
  EXPECT_EQ(load_error(good_), "");
  EXPECT_EQ(load_checkpoint(good_).unverified, "");
}

TEST_F(CorruptCheckpoint, MissingFile) {
  EXPECT_NE(load_error(dir_ / "nope.safetensors").find("nope.safetensors"), std::string::npos);
}

TEST_F(CorruptCheckpoint, EmptyAndTinyFiles) {
  EXPECT_NE(load_error(write("empty", "")), "");
  EXPECT_NE(load_error(write("tiny", "abc")), "");
}

TEST_F(CorruptCheckpoint, TruncatedAnywhere) {
  for (size_t cut : {size_t(8), size_t(100), bytes_.size() / 2, bytes_.size() - 1}) {
    const std::string msg = load_error(write("cut", bytes_.substr(0, cut)));
    EXPECT_NE(msg, "") << "cut at " << cut;
    EXPECT_NE(msg.find("cut"), std::string::npos) << msg;
  }
}

TEST_F(CorruptCheckpoint, FlippedWeightByteFailsTheChecksum) {
  std::string b = bytes_;
  b[b.size() - 5] ^= 0x40;
  EXPECT_NE(load_error(write("flip", b)).find("checksum"), std::string::npos);
}

TEST_F(CorruptCheckpoint, ForeignFiles) {
  EXPECT_NE(load_error(write("text.txt", "this is just text, not a checkpoint at all")), "");
  // A valid safetensors file from another tool.
  const float x[4] = {1, 2, 3, 4};
  write_safetensors(dir_ / "foreign.safetensors", {{"weight", DType::F32, {2, 2}, x}}, {});
  EXPECT_NE(load_error(dir_ / "foreign.safetensors").find("not a cllm checkpoint"), std::string::npos);
}

TEST_F(CorruptCheckpoint, BadMetadata) {
  EXPECT_NE(load_error(with_metadata("format_version", "99")).find("format version"), std::string::npos);
  EXPECT_NE(load_error(with_metadata("model_config", "{not json")).find("not valid JSON"), std::string::npos);
  EXPECT_NE(load_error(with_metadata("model_config", "")).find("model_config"), std::string::npos);
  auto cfg = session_->model().config().to_json();
  cfg["n_head"] = 3;
  EXPECT_NE(load_error(with_metadata("model_config", cfg.dump())).find("do not divide"), std::string::npos);
  cfg = session_->model().config().to_json();
  cfg["n_embd"] = 32;  // tensors no longer match the config
  EXPECT_NE(load_error(with_metadata("model_config", cfg.dump())).find("shape"), std::string::npos);
  auto tok = session_->tokenizer().to_json();
  tok["kind"] = "morse";
  EXPECT_NE(load_error(with_metadata("tokenizer", tok.dump())).find("tokenizer"), std::string::npos);
  EXPECT_NE(load_error(with_metadata("training_state", "{\"steps_done\": -4}")).find("steps_done"),
            std::string::npos);
}

// Issue 13, defect 2: a small file whose model config claims a huge model made the loader allocate the
// claimed size (6.9 GiB for width 4096, 9 layers) before it compared the tensors. The peak RSS of this
// test's process shows nothing of that size was allocated.
TEST_F(CorruptCheckpoint, MetadataClaimingAHugeModelAllocatesNothingFirst) {
  auto cfg = session_->model().config().to_json();
  cfg["n_embd"] = 4096;
  cfg["n_head"] = 4;
  cfg["n_layer"] = 9;
  const std::string message = load_error(with_metadata("model_config", cfg.dump()));
  EXPECT_NE(message.find("has shape"), std::string::npos) << message;
  rusage usage{};
  ASSERT_EQ(::getrusage(RUSAGE_SELF, &usage), 0);
  EXPECT_LT(usage.ru_maxrss, 1024L * 1024) << "peak RSS in KiB";
}

TEST_F(CorruptCheckpoint, NonFiniteWeightsAreRejected) {
  // save_checkpoint refuses to write such weights, so this file is made at the safetensors level.
  const SafetensorsFile f = SafetensorsFile::open(good_);
  Metadata meta = f.metadata();
  meta.erase(kFileChecksumKey);
  std::vector<float> wte;
  std::vector<TensorToWrite> tensors;
  for (const auto& t : f.tensors()) {
    if (t.name != "transformer.wte.weight") {
      tensors.push_back({t.name, t.dtype, t.shape, f.data(t.name, t.dtype, t.shape).data()});
      continue;
    }
    wte = f.read_f32(t.name, t.shape);
    wte[3] = std::numeric_limits<float>::infinity();
    tensors.push_back({t.name, t.dtype, t.shape, wte.data()});
  }
  ASSERT_FALSE(wte.empty());
  const fs::path p = dir_ / "inf.safetensors";
  write_safetensors(p, tensors, meta);
  EXPECT_NE(load_error(p).find("non-finite"), std::string::npos) << load_error(p);
}

// Issue 13, defect 3: the checksum covered only the tensor data, so an edited config, tokenizer or training
// state loaded silently. Every byte of the header is covered now.
TEST_F(CorruptCheckpoint, EditedHeaderIsCaughtByTheChecksum) {
  // Values as they appear in the header: JSON documents inside JSON strings, so their quotes are escaped.
  const auto in_header = [](const std::string& json_text) {
    const std::string s = nlohmann::json(json_text).dump();
    return s.substr(1, s.size() - 2);
  };
  // The first edit rotates the vocabulary: the char tokenizer's first two tokens swapped in place.
  const nlohmann::json vocab = load_checkpoint(good_).tokenizer->to_json()["vocab"];
  const std::string first = vocab[0].dump(), second = vocab[1].dump();
  const std::vector<std::pair<std::string, std::string>> edits = {
      {in_header("[" + first + "," + second), in_header("[" + second + "," + first)},
      {R"(\"batch_size\":2)", R"(\"batch_size\":3)"},
      {R"(\"n_embd\":64)", R"(\"n_embd\":46)"},
      {R"("format_version":"2")", R"("format_version":"1")"},
  };
  for (const auto& [from, to] : edits) {
    SCOPED_TRACE(from + " -> " + to);
    const std::string message = load_error(write("edited", edited(from, to)));
    EXPECT_NE(message.find("checksum mismatch: the file is corrupt or was changed after it was saved"),
              std::string::npos)
        << message;
  }
}

TEST_F(CorruptCheckpoint, ChecksumRemovedIsRefusedUnlessImportedUnverified) {
  // The checksum entry blanked out with spaces (still valid JSON), and a weight changed.
  std::string b = edited(checksum_entry(), std::string(checksum_entry().size(), ' '));
  b[b.size() - 5] ^= 0x40;
  const fs::path p = write("unchecked", b);
  const std::string message = load_error(p);
  EXPECT_NE(message.find("has no checksum"), std::string::npos) << message;
  EXPECT_NE(message.find("--allow-unverified"), std::string::npos) << message;
  EXPECT_THROW(load_checkpoint(p), UnverifiedCheckpointError);  // what the workbench asks the user about
  const Checkpoint ck = load_checkpoint(p, Verification::kAllowUnverified);
  EXPECT_NE(ck.unverified.find("no checksum"), std::string::npos) << ck.unverified;
}

TEST_F(CorruptCheckpoint, Version1FilesLoadWithTheirDataChecksumAndAWarning) {
  // A file as version 1 wrote it: format_version 1 and a checksum of the tensor data only.
  const uint64_t header_size = [&] {
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes_[i]);
    return n;
  }();
  const std::string data = bytes_.substr(8 + header_size);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(XXH3_64bits(data.data(), data.size())));
  std::string v1 = edited(checksum_entry(), "\"" + std::string(kDataChecksumKey) + "\":\"" + hex + "\",");
  v1.replace(v1.find("\"format_version\":\"2\""), 20, "\"format_version\":\"1\"");
  const Checkpoint ck = load_checkpoint(write("v1", v1));
  EXPECT_NE(ck.unverified.find("format version 1"), std::string::npos) << ck.unverified;
  EXPECT_EQ(ck.parameters, load_checkpoint(good_).parameters);

  std::string flipped = v1;
  flipped[flipped.size() - 5] ^= 0x40;
  EXPECT_NE(load_error(write("v1-flipped", flipped)).find("checksum mismatch"), std::string::npos);
  // A version-2 file may not fall back to the data checksum.
  std::string v2_data_only = v1;
  v2_data_only.replace(v2_data_only.find("\"format_version\":\"1\""), 20, "\"format_version\":\"2\"");
  EXPECT_NE(load_error(write("v2-data-only", v2_data_only)).find("only a data checksum"), std::string::npos);
}

TEST_F(CorruptCheckpoint, DuplicateKeysInsideMetadataJsonAreRefused) {
  std::string cfg = session_->model().config().to_json().dump();
  cfg.insert(1, "\"n_layer\":9,");
  const std::string message = load_error(with_metadata("model_config", cfg));
  EXPECT_NE(message.find("duplicate key 'n_layer' in the metadata 'model_config'"), std::string::npos)
      << message;
  std::string state =
      nlohmann::json::parse(SafetensorsFile::open(good_).metadata().at("training_state")).dump();
  state.insert(1, "\"steps_done\":7,");
  EXPECT_NE(load_error(with_metadata("training_state", state)).find("duplicate key 'steps_done'"),
            std::string::npos);
}

}  // namespace
}  // namespace cllm
