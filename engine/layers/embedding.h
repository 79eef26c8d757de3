#pragma once
// The model's input and output ends: token embedding wte[V,C] plus the additive positional table, and
// the output head tied to wte (logits = x @ wte^T, as GPT-2).
//
// Initialisation of wte: "random" (GPT-2: N(0, 0.02²)) or "lattice" (the spec's lattice embedding:
// token k's row is the Fourier feature vector of its prime-cone coordinates (x, y, z) and clock class,
// e_i = 0.3 sin((i+1)x/10) + 0.3 cos((i+1)y/10) + 0.3 sin((i+1)z/10) + 0.1 cos((i+1) 2 pi (p_k mod 12)/12),
// L2-normalised, then scaled to 0.02 sqrt(C), the expected norm of a random row). With word roots the
// lattice rows go to the root table (root k gets the k-th prime) and the affix table starts random.

#include <cstdint>
#include <string>
#include <vector>

#include "layers/activation_table.h"
#include "layers/parameter_table.h"
#include "layers/positional_encoding.h"
#include "ops/embedding_compose.h"

namespace cllm::layers {

// Throws cllm::Error for names other than these.
std::vector<std::string> embedding_init_names();  // "random", "lattice"
void check_embedding_init(const std::string& name);
// The lattice initialisation of wte, [vocab, channels] row-major.
std::vector<double> lattice_embedding(int vocab, int channels);

// With root-word modelling (text/word_roots.h) a word's row is composed: E_root[root_of[v]] +
// E_affix[affix_of[v]], from transformer.wte.root [R,C] and transformer.wte.affix [A,C].
struct WordRootTables {
  std::vector<int32_t> root_of, affix_of;  // [V]
  int roots = 0, affixes = 0;
  bool operator==(const WordRootTables&) const = default;
};

class Embedding {
 public:
  // Declares transformer.wte.weight [V,C] (or, with `roots`, the root and affix tables) and, for a
  // learned encoding, transformer.wpe.weight [T_max,C]; a fixed encoding's table becomes a constant.
  Embedding(ParameterTable& table, int vocab, int max_positions, int channels, const std::string& positional,
            const std::string& init, const WordRootTables* roots);

  // The token table [V,C] the lookups and the head read, and where its gradient goes: wte itself, or with
  // roots the composed table and its gradient (activation buffers the model plans when composed()).
  template <typename S>
  struct Table {
    const S* rows = nullptr;
    S* grad = nullptr;
  };
  bool composed() const { return !root_of_.empty(); }
  template <typename S>
  Table<S> table(const Weights<S>& w, S* composed_rows, S* composed_grad) const {
    if (composed()) return {composed_rows, composed_grad};
    return {w.p + wte_, w.g ? w.g + wte_ : nullptr};
  }
  // With roots: rows[V,C] = E_root[root_of] + E_affix[affix_of].
  template <typename Ops, typename S = typename Ops::Scalar>
  void compose(const Weights<S>& w, S* rows) const {
    Ops::embedding_compose_forward(rows, w.p + root_, w.p + affix_, root_of_.data(), affix_of_.data(), vocab_,
                                   channels_);
  }
  // With roots: the gradients of E_root and E_affix += dtable[V,C] scattered to each word's root and affix.
  template <typename Ops, typename S = typename Ops::Scalar>
  void decompose(const Weights<S>& w, const S* dtable) const {
    Ops::embedding_compose_backward(w.g + root_, w.g + affix_, dtable, root_of_.data(), affix_of_.data(),
                                    vocab_, channels_);
  }
  // The token rows as the model sees them, [V,C] (the projector and the 3-D view read these).
  template <typename S>
  std::vector<S> token_rows(const S* params) const {
    std::vector<S> rows(static_cast<size_t>(vocab_) * channels_);
    if (!composed()) return {params + wte_, params + wte_ + rows.size()};
    ops::embedding_compose_forward_ref(rows.data(), params + root_, params + affix_, root_of_.data(),
                                       affix_of_.data(), vocab_, channels_);
    return rows;
  }

  // out[B,T,C] = table[tokens] + positional rows position .. position + T - 1
  template <typename Ops, typename S = typename Ops::Scalar>
  void forward(const Weights<S>& w, const Table<S>& t, S* out, const int32_t* tokens,
               const Pass& pass) const {
    Ops::encoder_forward(out, tokens, t.rows, positions(w.p, w.k, pass), pass.B, pass.T, channels_);
  }
  // Accumulates the gradients of the token table (and of a learned wpe) from dout[B,T,C].
  template <typename Ops, typename S = typename Ops::Scalar>
  void backward(const Weights<S>& w, const Table<S>& t, const S* dout, const int32_t* tokens,
                const Pass& pass) const {
    S* dwpe =
        wpe_ != ParameterTable::kNone ? w.g + wpe_ + static_cast<long>(pass.position) * channels_ : nullptr;
    Ops::encoder_backward(t.grad, dwpe, dout, tokens, pass.B, pass.T, channels_);
  }

  // logits[N,V] = in[N,C] @ table^T (the head tied to the token table)
  template <typename Ops, typename S = typename Ops::Scalar>
  void head_forward(const Table<S>& t, S* logits, const S* in, long rows) const {
    Ops::matmul_forward(logits, in, t.rows, nullptr, static_cast<int>(rows), channels_, vocab_);
  }
  // The head's backward with the loss's (ops/classifier.h): din[N,C] = dlogits @ table (overwritten) for the
  // gradient dlogits of loss_scale times the mean loss, from the logits[N,V] (overwritten: afterwards they
  // hold nothing useful) and the loss's lse[N]; accumulates the head's share of the table's gradient.
  // `scratch` holds ops::classifier_scratch_floats(N, V) floats.
  template <typename Ops, typename S = typename Ops::Scalar>
  void head_backward(const Table<S>& t, S* logits, const S* lse, const int32_t* targets, S loss_scale,
                     S* scratch, const S* in, S* din, long rows) const {
    Ops::classifier_backward(din, t.grad, scratch, logits, lse, targets, in, t.rows, static_cast<int>(rows),
                             channels_, vocab_, loss_scale);
  }

 private:
  // The positional rows from `pass.position` on, or null when nothing is added.
  template <typename S>
  const S* positions(const S* params, const S* constants, const Pass& pass) const {
    const long skip = static_cast<long>(pass.position) * channels_;
    if (wpe_ != ParameterTable::kNone) return params + wpe_ + skip;
    if (fixed_ != ParameterTable::kNone) return constants + fixed_ + skip;
    return nullptr;
  }

  int vocab_, channels_;
  size_t wte_ = ParameterTable::kNone, root_ = ParameterTable::kNone, affix_ = ParameterTable::kNone;
  size_t wpe_ = ParameterTable::kNone, fixed_ = ParameterTable::kNone;
  std::vector<int32_t> root_of_, affix_of_;
};

}  // namespace cllm::layers
