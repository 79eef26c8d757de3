#pragma once
// Fully connected layer, nn.Linear's convention: weight [out, in] drawn from N(0, std²), bias [out] 0.

#include <string>

#include "layers/parameter_table.h"

namespace cllm::layers {

class Linear {
 public:
  // Declares `<name>.weight` [out, in] and `<name>.bias` [out].
  Linear(ParameterTable& table, const std::string& name, int in, int out, double init_std);

  int in() const { return in_; }
  int out() const { return out_; }

  // out[N,OUT] = in[N,IN] @ weight^T + bias
  template <typename Ops, typename S = typename Ops::Scalar>
  void forward(const Weights<S>& w, S* out, const S* in, long rows) const {
    Ops::matmul_forward(out, in, w.p + weight_, w.p + bias_, static_cast<int>(rows), in_, out_);
  }
  // din[N,IN] = dout @ weight (overwritten); accumulates the weight and bias gradients.
  template <typename Ops, typename S = typename Ops::Scalar>
  void backward(const Weights<S>& w, const S* dout, const S* in, S* din, long rows) const {
    Ops::matmul_backward(din, w.g + weight_, w.g + bias_, dout, in, w.p + weight_, static_cast<int>(rows),
                         in_, out_);
  }

 private:
  int in_, out_;
  size_t weight_, bias_;
};

}  // namespace cllm::layers
