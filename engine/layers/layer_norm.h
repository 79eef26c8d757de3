#pragma once
// Layer normalisation over channels with a learned gain (init 1) and bias (init 0).

#include <string>

#include "layers/activation_table.h"
#include "layers/parameter_table.h"

namespace cllm::layers {

class LayerNorm {
 public:
  // Declares `<name>.weight` and `<name>.bias`, each [channels].
  LayerNorm(ParameterTable& table, const std::string& name, int channels);

  template <typename S>
  struct Acts {
    S* out = nullptr;   // [N,C]
    S* mean = nullptr;  // [N]
    S* rstd = nullptr;  // [N]
  };
  template <typename S>
  Acts<S> plan(Slicer<S>& slicer, const std::string& name, long rows) const {
    return {slicer.take(name + ".out", rows * channels_), slicer.take(name + ".mean", rows),
            slicer.take(name + ".rstd", rows)};
  }

  // a.out[N,C] = layernorm(in[N,C])
  template <typename Ops, typename S = typename Ops::Scalar>
  void forward(const Weights<S>& w, const Acts<S>& a, const S* in, long rows) const {
    Ops::layernorm_forward(a.out, a.mean, a.rstd, in, w.p + weight_, w.p + bias_, static_cast<int>(rows),
                           channels_);
  }
  // din[N,C] += d(in) given dout[N,C]; accumulates the weight and bias gradients.
  template <typename Ops, typename S = typename Ops::Scalar>
  void backward(const Weights<S>& w, const Acts<S>& a, const S* in, const S* dout, S* din, long rows) const {
    Ops::layernorm_backward(din, w.g + weight_, w.g + bias_, dout, in, w.p + weight_, a.mean, a.rstd,
                            static_cast<int>(rows), channels_);
  }

 private:
  int channels_;
  size_t weight_, bias_;
};

}  // namespace cllm::layers
