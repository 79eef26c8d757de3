#pragma once
// The decoder-only transformer: one graph of layers (TransformerGraph) run by one implementation of
// ops (ops/op_set.h). Transformer<FastOps> is the float32 model that trains and generates (Gpt);
// Transformer<ReferenceOps<S>> is the same model on the plain-loop reference ops in any scalar (float,
// double, Boost's 50-digit float): the oracle of the tests and the base of the precision lab. Training
// forward/backward and KV-cache decoding are two uses of the same layers.
//
// Owns one parameter buffer and one gradient buffer (laid out by the graph's parameter table), the
// constants, and a workspace with the activations of the last forward pass, which backward() consumes:
// one buffer sliced by one activation table. One thread drives a model (the fast ops inside use the
// engine's OpenMP threads), except that forward and backward into separate workspaces and gradient
// buffers may run at once (they only read the model). Batch size and length may change between calls.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "kernels/spin_team.h"
#include "kernels/threading.h"
#include "layers/activation_table.h"
#include "layers/kv_cache.h"
#include "model/transformer_graph.h"
#include "ops/op_set.h"
#include "util/error.h"
#include "util/huge_page_allocator.h"
#include "util/rng.h"

namespace cllm {

// Throws cllm::Error unless every id is in [0, vocab_size); `what` names the ids in the message.
void check_token_ids(const int32_t* ids, long n, int vocab_size, const char* what);

template <typename Ops>
class Transformer {
 public:
  using S = typename Ops::Scalar;

  // Validates the config (throws cllm::Error). Parameters start at zero: call initialize() or load them.
  explicit Transformer(const ModelConfig& config)
      : config_(validated(config)),
        graph_(config_),
        params_(table().total(), S(0)),
        grads_(table().total(), S(0)) {
    constants_.resize(table().constant_total());
    for (const auto& k : table().constants())
      std::copy(k.values.begin(), k.values.end(), constants_.begin() + k.offset);
    if (graph_.needs_clock_classes()) token_classes_ = layers::token_clock_classes(config_.vocab_size);
  }
  Transformer(const Transformer&) = delete;
  Transformer& operator=(const Transformer&) = delete;

  const ModelConfig& config() const { return config_; }
  const TransformerGraph& graph() const { return graph_; }
  const ParameterTable& table() const { return graph_.parameters(); }
  std::span<S> parameters() { return params_; }
  std::span<const S> parameters() const { return params_; }
  std::span<S> gradients() { return grads_; }
  std::span<const S> gradients() const { return grads_; }

  // Each tensor as its table says, in table order (deterministic): GPT-2's N(0, 0.02²) for matrices
  // and embeddings (the projections into the residual stream N(0, 0.02²/2L)), biases 0, LayerNorm
  // gains 1; a lattice-initialised embedding draws nothing.
  void initialize(Rng& rng) {
    for (const auto& t : table().tensors()) {
      S* p = params_.data() + t.offset;
      switch (t.init) {
        case layers::Init::zeros:
          std::fill(p, p + t.size, S(0));
          break;
        case layers::Init::ones:
          std::fill(p, p + t.size, S(1));
          break;
        case layers::Init::values:
          std::copy(t.init_values.begin(), t.init_values.end(), p);
          break;
        case layers::Init::normal: {
          // In float as the float32 model has always drawn, so a seed gives the same model in any scalar.
          const float std = static_cast<float>(t.init_std);
          for (size_t i = 0; i < t.size; ++i) p[i] = S(static_cast<float>(rng.normal()) * std);
          break;
        }
        case layers::Init::lattice_embedding: {
          const auto rows =
              layers::lattice_embedding(static_cast<int>(t.shape[0]), static_cast<int>(t.shape[1]));
          std::copy(rows.begin(), rows.end(), p);
          break;
        }
      }
    }
  }

  // The activations of one forward pass, which backward() consumes. The model holds one, used by the
  // overloads without a workspace; more let shards of a batch run at once on different threads
  // (train/batch_shards.h). Defined below.
  class Workspace;

  // inputs[B,T], targets[B,T] (may be null), 1 <= T <= block_size, ids in [0, vocab_size).
  // Returns the mean cross-entropy loss, or NaN without targets. Throws cllm::Error on bad ids or sizes.
  S forward(const int32_t* inputs, const int32_t* targets, int B, int T) {
    return forward(main_, inputs, targets, B, T);
  }
  // The same into `ws`. Reads the parameters and writes only `ws`: threads may run it at once, each
  // with its own workspace.
  S forward(Workspace& ws, const int32_t* inputs, const int32_t* targets, int B, int T) const {
    require(B >= 1, "batch size must be at least 1, got " + std::to_string(B));
    require(T >= 1 && T <= config_.block_size, "sequence length " + std::to_string(T) +
                                                   " is outside [1, block size " +
                                                   std::to_string(config_.block_size) + "]");
    const long N = static_cast<long>(B) * T;
    check_token_ids(inputs, N, config_.vocab_size, "input token");
    if (targets) check_token_ids(targets, N, config_.vocab_size, "target token");
    reserve(ws, B, T);
    ws.have_targets_ = targets != nullptr;
    ws.logits_used_ = false;
    ws.inputs_.assign(inputs, inputs + N);
    if (targets) ws.targets_.assign(targets, targets + N);
    if (!token_classes_.empty())
      for (long i = 0; i < N; ++i) ws.classes_[i] = token_classes_[inputs[i]];

    Activations& a = ws.a_;
    const layers::Weights<S> w{params_.data(), nullptr, constants_.data()};
    const layers::Pass pass = ws.pass();
    const auto& embedding = graph_.embedding();
    if (embedding.composed()) embedding.template compose<Ops>(w, a.table);
    const auto table = embedding.table(w, a.table, a.dtable);
    embedding.template forward<Ops>(w, table, a.encoded, inputs, pass);
    const S* x = a.encoded;
    for (size_t l = 0; l < graph_.blocks().size(); ++l) {
      graph_.blocks()[l].template forward<Ops>(w, a.blocks[l], x, pass, nullptr);
      x = a.blocks[l].out;
    }
    graph_.final_norm().template forward<Ops>(w, a.lnf, x, N);
    embedding.template head_forward<Ops>(table, a.logits, a.lnf.out, N);
    if (!targets) return std::numeric_limits<S>::quiet_NaN();
    return Ops::cross_entropy_forward(a.lse, a.losses, a.logits, ws.targets_.data(), static_cast<int>(N),
                                      config_.vocab_size);
  }

  // Gradient of loss_scale * (mean loss of the last forward with targets), ADDED to gradients(): call
  // zero_gradients() first, or not, to accumulate micro-batches.
  void backward(S loss_scale = S(1)) { backward(main_, grads_, loss_scale); }
  // The same for the last forward into `ws`, added to `gradients` (parameters().size() values). Writes
  // only those two: threads may run it at once with their own workspaces and gradient buffers.
  void backward(Workspace& ws, std::span<S> gradients, S loss_scale) const {
    require(ws.have_targets_, "backward() needs a forward pass with targets first");
    require(!ws.logits_used_,
            "backward() needs a forward pass of its own: the last one's was used by a backward pass");
    require(gradients.size() == params_.size(), "internal error: gradient buffer of the wrong size");
    ws.logits_used_ = true;  // the head's backward overwrites them
    Activations& a = ws.a_;
    const layers::Pass pass = ws.pass();
    const long N = pass.rows();
    const int C = config_.n_embd, V = config_.vocab_size;
    const layers::Weights<S> w{params_.data(), gradients.data(), constants_.data()};
    const auto& embedding = graph_.embedding();
    const auto table = embedding.table(w, a.table, a.dtable);
    if (embedding.composed()) layers::zero(a.dtable, static_cast<size_t>(V) * C);
    embedding.template head_backward<Ops>(table, a.logits, a.lse, ws.targets_.data(), loss_scale,
                                          a.head_scratch, a.lnf.out, a.dlnf, N);
    // dresidual carries d(loss)/d(residual stream) down through the blocks.
    layers::zero(a.dresidual, N * C);
    graph_.final_norm().template backward<Ops>(w, a.lnf, a.blocks.back().out, a.dlnf, a.dresidual, N);
    for (size_t l = graph_.blocks().size(); l-- > 0;) {
      const S* in = l == 0 ? a.encoded : a.blocks[l - 1].out;
      graph_.blocks()[l].template backward<Ops>(w, a.blocks[l], a.scratch[l], in, a.dresidual, pass);
    }
    embedding.template backward<Ops>(w, table, a.dresidual, ws.inputs_.data(), pass);
    if (embedding.composed()) embedding.template decompose<Ops>(w, a.dtable);
  }

  void zero_gradients() { std::fill(grads_.begin(), grads_.end(), S(0)); }

  // From the last forward: logits[B,T,V] (until a backward pass overwrites them); with targets also
  // per-token losses[B,T].
  std::span<const S> logits() const { return main_.logits(config_.vocab_size); }
  std::span<const S> token_losses() const { return main_.token_losses(); }
  // The last forward's activations by name (the table's names, e.g. "h.0.attn.qkv"; empty if none).
  const layers::ActivationTable& activation_table() const { return main_.table_; }
  std::span<const S> activation(const std::string& name) const {
    const auto* e = main_.table_.find(name);
    if (!e) return {};
    return {main_.buffer_.data() + e->offset, e->count};
  }

  // Memory held by the activation and backward buffers (they grow to the largest B x T seen).
  size_t activation_bytes() const { return main_.bytes(); }
  // Memory a training run needs: activations for B x T plus weights, gradients and the two AdamW moments
  // (float32). Exact for this implementation (tested), computed without allocating.
  static size_t training_memory_bytes(const ModelConfig& config, int B, int T) {
    const TransformerGraph graph(validated(config));
    return workspace_bytes(graph, B, T) + 4 * graph.parameters().total() * sizeof(float);
  }
  // What a workspace holds after a forward pass over B x T.
  static size_t workspace_bytes(const TransformerGraph& graph, int B, int T) {
    layers::ActivationTable table;
    layers::Slicer<S> planner(table, nullptr);
    plan(graph, planner, B, T);
    const size_t N = static_cast<size_t>(B) * T;
    return table.total() * sizeof(S) + 2 * N * sizeof(int32_t) + (graph.needs_clock_classes() ? N : 0);
  }

  // KV-cache decoding: several sequences advance one position per step (one for sampling, the beam
  // width for beam search). The state holds the cache and the per-step buffers.
  struct DecodeState {
    DecodeState(const Transformer& model, int max_sequences)
        : max_sequences(max_sequences),
          cache(model.config().n_layer, max_sequences, model.config().block_size, model.config().n_embd,
                model.config().mixer != "attention") {
      const layers::Pass pass{max_sequences, 1, 0};
      layers::ActivationTable sizes;
      layers::Slicer<S> planner(sizes, nullptr);
      plan_decode(model.graph_, planner, pass);
      buffer.assign(sizes.total(), S(0));
      layers::Slicer<S> slicer(table, buffer.data());
      acts = plan_decode(model.graph_, slicer, pass);
    }
    int max_sequences;
    layers::KvCache<S> cache;
    layers::ActivationTable table;
    std::vector<S> buffer;
    struct Acts {
      S* table = nullptr;  // [V,C] the composed token table (word roots only)
      S* x = nullptr;      // [NS,C] the residual stream
      std::vector<typename layers::Block::Acts<S>> blocks;
      layers::LayerNorm::Acts<S> lnf;
      S* logits = nullptr;  // [NS,V]
    } acts;
  };

  // Feeds tokens[s] to sequence s at `position` (caches hold positions 0..position-1), returns logits
  // [sequences, V] for each sequence's next token. Reads the parameters; changes only `state`.
  std::span<const S> decode(DecodeState& state, std::span<const int32_t> tokens, int position) const {
    const int NS = static_cast<int>(tokens.size());
    require(NS >= 1 && NS <= state.max_sequences, "sequence count " + std::to_string(NS) +
                                                      " is outside [1, " +
                                                      std::to_string(state.max_sequences) + "]");
    require(position >= 0 && position < config_.block_size,
            "the context is full (" + std::to_string(config_.block_size) + " positions)");
    check_token_ids(tokens.data(), NS, config_.vocab_size, "token");
    // One spin team per step: its threads share every product and attention of the step.
    kernels::run_with_spin_team(kernels::num_threads(), [&] { decode_step(state, tokens, position); });
    return {state.acts.logits, static_cast<size_t>(NS) * config_.vocab_size};
  }

 private:
  void decode_step(DecodeState& state, std::span<const int32_t> tokens, int position) const {
    const int NS = static_cast<int>(tokens.size());
    const layers::Weights<S> w{params_.data(), nullptr, constants_.data()};
    layers::Pass pass{NS, 1, position};
    if (!token_classes_.empty()) {
      uint8_t* classes = state.cache.classes();
      for (int s = 0; s < NS; ++s)
        classes[s * state.cache.class_stride() + position] = token_classes_[tokens[s]];
      pass.classes = classes;
      pass.class_stride = state.cache.class_stride();
    }
    const int C = config_.n_embd;
    auto& a = state.acts;
    const auto& embedding = graph_.embedding();
    // A composed token table only changes with the parameters: made when a decode starts.
    if (embedding.composed() && position == 0) embedding.template compose<Ops>(w, a.table);
    const auto table = embedding.table(w, a.table, static_cast<S*>(nullptr));
    embedding.template forward<Ops>(w, table, a.x, tokens.data(), pass);
    for (size_t l = 0; l < graph_.blocks().size(); ++l) {
      auto cache = state.cache.layer(static_cast<int>(l));
      graph_.blocks()[l].template forward<Ops>(w, a.blocks[l], a.x, pass, &cache);
      std::copy(a.blocks[l].out, a.blocks[l].out + static_cast<size_t>(NS) * C, a.x);
    }
    graph_.final_norm().template forward<Ops>(w, a.lnf, a.x, NS);
    embedding.template head_forward<Ops>(table, a.logits, a.lnf.out, NS);
  }

  struct Activations {
    S* table = nullptr;    // [V,C] the composed token table (word roots only)
    S* encoded = nullptr;  // [N,C]
    std::vector<typename layers::Block::Acts<S>> blocks;
    layers::LayerNorm::Acts<S> lnf;
    S *logits = nullptr, *lse = nullptr, *losses = nullptr;  // [N,V], [N] (log-sum-exp of each row), [N]
    // backward
    S *head_scratch = nullptr, *dlnf = nullptr, *dresidual = nullptr;  // [N,slice of V], [N,C], [N,C]
    S* dtable = nullptr;                                               // [V,C] (word roots only)
    std::vector<typename layers::Block::Scratch<S>> scratch;           // one shared region
  };

 public:
  // A forward pass's activations (planned by plan()), its inputs and targets.
  class Workspace {
   public:
    // Memory held by the activation and backward buffers (they grow to the largest B x T seen).
    size_t bytes() const {
      return buffer_.size() * sizeof(S) + (inputs_.capacity() + targets_.capacity()) * sizeof(int32_t) +
             classes_.size();
    }
    // From the last forward: per-token losses [B,T] (empty without targets).
    std::span<const S> token_losses() const {
      if (!have_targets_) return {};
      return {a_.losses, static_cast<size_t>(B_) * T_};
    }

   private:
    friend class Transformer;
    std::span<const S> logits(int V) const { return {a_.logits, static_cast<size_t>(B_) * T_ * V}; }
    layers::Pass pass() const { return {B_, T_, 0, classes_.empty() ? nullptr : classes_.data(), T_}; }

    layers::ActivationTable table_;
    std::vector<S> buffer_;
    Activations a_;
    std::vector<int32_t> inputs_, targets_;
    std::vector<uint8_t> classes_;  // with the clock bias: per input position
    int B_ = 0, T_ = 0;
    bool have_targets_ = false;
    bool logits_used_ = false;  // a backward pass overwrote the logits
  };

 private:
  // The one activation table of a training pass over B x T: allocation, memory estimate and taps.
  static Activations plan(const TransformerGraph& graph, layers::Slicer<S>& s, int B, int T) {
    const layers::Pass pass{B, T, 0};
    const long N = pass.rows();
    const size_t C = graph.config().n_embd, V = graph.config().vocab_size;
    Activations a;
    if (graph.embedding().composed()) a.table = s.take("embedding.table", V * C);
    a.encoded = s.take("embedding.out", N * C);
    for (const auto& block : graph.blocks()) a.blocks.push_back(block.plan(s, pass, false));
    a.lnf = graph.final_norm().plan(s, "ln_f", N);
    a.logits = s.take("logits", N * V);
    a.lse = s.take("lse", N);
    a.losses = s.take("losses", N);
    a.head_scratch =
        s.take("backward.head", ops::classifier_scratch_floats(static_cast<int>(N), static_cast<int>(V)));
    a.dlnf = s.take("backward.dln_f", N * C);
    a.dresidual = s.take("backward.dresidual", N * C);
    if (graph.embedding().composed()) a.dtable = s.take("backward.dtable", V * C);
    const size_t shared = s.table().cursor();
    size_t end = shared;
    for (const auto& block : graph.blocks()) {
      s.table().set_cursor(shared);
      a.scratch.push_back(block.plan_backward(s, pass));
      end = std::max(end, s.table().cursor());
    }
    s.table().set_cursor(end);
    return a;
  }

  // The buffers of a decoding step over pass.B sequences.
  static typename DecodeState::Acts plan_decode(const TransformerGraph& graph, layers::Slicer<S>& s,
                                                const layers::Pass& pass) {
    const long rows = pass.rows();
    typename DecodeState::Acts a;
    if (graph.embedding().composed())
      a.table =
          s.take("embedding.table", static_cast<size_t>(graph.config().vocab_size) * graph.config().n_embd);
    a.x = s.take("x", rows * graph.config().n_embd);
    for (const auto& block : graph.blocks()) a.blocks.push_back(block.plan(s, pass, true));
    a.lnf = graph.final_norm().plan(s, "ln_f", rows);
    a.logits = s.take("logits", rows * graph.config().vocab_size);
    return a;
  }

  void reserve(Workspace& ws, int B, int T) const {
    if (B == ws.B_ && T == ws.T_) return;
    layers::ActivationTable table;
    layers::Slicer<S> planner(table, nullptr);
    plan(graph_, planner, B, T);
    if (ws.buffer_.size() < table.total()) {
      ws.buffer_.clear();
      ws.buffer_.shrink_to_fit();
      ws.buffer_.resize(table.total());
    }
    ws.table_ = layers::ActivationTable();
    layers::Slicer<S> slicer(ws.table_, ws.buffer_.data());
    ws.a_ = plan(graph_, slicer, B, T);
    ws.inputs_.reserve(static_cast<size_t>(B) * T);
    ws.targets_.reserve(static_cast<size_t>(B) * T);
    if (!token_classes_.empty()) ws.classes_.resize(std::max(ws.classes_.size(), static_cast<size_t>(B) * T));
    ws.B_ = B, ws.T_ = T;
  }

  ModelConfig config_;
  TransformerGraph graph_;
  HugePageVector<S> params_, grads_;
  std::vector<S> constants_;
  std::vector<uint8_t> token_classes_;  // with the clock bias: per vocabulary id
  Workspace main_;
};

template <typename S>
using ReferenceTransformer = Transformer<ops::ReferenceOps<S>>;

}  // namespace cllm
