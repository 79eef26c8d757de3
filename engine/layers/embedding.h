#pragma once
// The model's input and output ends: token embedding wte[V,C] plus the additive positional table, and
// the output head tied to wte (logits = x @ wte^T, as GPT-2).
//
// Initialisation of wte: "random" (GPT-2: N(0, 0.02²)) or "lattice" (the spec's lattice embedding:
// token k's row is the Fourier feature vector of its prime-cone coordinates (x, y, z) and clock class,
// e_i = 0.3 sin((i+1)x/10) + 0.3 cos((i+1)y/10) + 0.3 sin((i+1)z/10) + 0.1 cos((i+1) 2 pi (p_k mod 12)/12),
// L2-normalised, then scaled to 0.02 sqrt(C), the expected norm of a random row).

#include <cstdint>
#include <string>
#include <vector>

#include "layers/activation_table.h"
#include "layers/parameter_table.h"
#include "layers/positional_encoding.h"

namespace cllm::layers {

// Throws cllm::Error for names other than these.
std::vector<std::string> embedding_init_names();  // "random", "lattice"
void check_embedding_init(const std::string& name);
// The lattice initialisation of wte, [vocab, channels] row-major.
std::vector<double> lattice_embedding(int vocab, int channels);

class Embedding {
 public:
  // Declares transformer.wte.weight [V,C] and, for a learned encoding, transformer.wpe.weight [T_max,C];
  // a fixed encoding's table becomes a constant.
  Embedding(ParameterTable& table, int vocab, int max_positions, int channels, const std::string& positional,
            const std::string& init);

  size_t token_table() const { return wte_; }  // offset of wte in the parameters

  // out[B,T,C] = wte[tokens] + positional rows position .. position + T - 1
  template <typename Ops, typename S = typename Ops::Scalar>
  void forward(const Weights<S>& w, S* out, const int32_t* tokens, const Pass& pass) const {
    Ops::encoder_forward(out, tokens, w.p + wte_, positions(w.p, w.k, pass), pass.B, pass.T, channels_);
  }
  // Accumulates the gradients of wte (and of a learned wpe) from dout[B,T,C].
  template <typename Ops, typename S = typename Ops::Scalar>
  void backward(const Weights<S>& w, const S* dout, const int32_t* tokens, const Pass& pass) const {
    S* dwpe =
        wpe_ != ParameterTable::kNone ? w.g + wpe_ + static_cast<long>(pass.position) * channels_ : nullptr;
    Ops::encoder_backward(w.g + wte_, dwpe, dout, tokens, pass.B, pass.T, channels_);
  }

  // logits[N,V] = in[N,C] @ wte^T
  template <typename Ops, typename S = typename Ops::Scalar>
  void head_forward(const Weights<S>& w, S* logits, const S* in, long rows) const {
    Ops::matmul_forward(logits, in, w.p + wte_, nullptr, static_cast<int>(rows), channels_, vocab_);
  }
  // din[N,C] += dlogits @ wte; accumulates the head's share of the wte gradient.
  template <typename Ops, typename S = typename Ops::Scalar>
  void head_backward(const Weights<S>& w, const S* dlogits, const S* in, S* din, long rows) const {
    Ops::matmul_backward(din, w.g + wte_, nullptr, dlogits, in, w.p + wte_, static_cast<int>(rows), channels_,
                         vocab_);
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
  size_t wte_, wpe_ = ParameterTable::kNone, fixed_ = ParameterTable::kNone;
};

}  // namespace cllm::layers
