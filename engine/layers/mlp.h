#pragma once
// The feed-forward half of a block: Linear(C -> 4C), GELU, Linear(4C -> C) (nanoGPT's mlp.c_fc and
// mlp.c_proj).

#include <string>

#include "layers/activation_table.h"
#include "layers/linear.h"

namespace cllm::layers {

class Mlp {
 public:
  // prefix e.g. "transformer.h.0.mlp."; the output projection starts at residual_std (GPT-2's scaled
  // init of projections into the residual stream).
  Mlp(ParameterTable& table, const std::string& prefix, int channels, double residual_std);

  template <typename S>
  struct Acts {
    S* fc = nullptr;    // [N,4C] before GELU
    S* gelu = nullptr;  // [N,4C]
    S* out = nullptr;   // [N,C]
  };
  template <typename S>
  struct Scratch {
    S* dgelu = nullptr;  // [N,4C]
    S* dfc = nullptr;    // [N,4C]
  };
  template <typename S>
  Acts<S> plan(Slicer<S>& slicer, const std::string& name, long rows) const {
    const size_t hidden = rows * fc_.out();
    return {slicer.take(name + ".fc", hidden), slicer.take(name + ".gelu", hidden),
            slicer.take(name + ".out", rows * proj_.out())};
  }
  template <typename S>
  Scratch<S> plan_backward(Slicer<S>& slicer, const std::string& name, long rows) const {
    const size_t hidden = rows * fc_.out();
    return {slicer.take(name + ".dgelu", hidden), slicer.take(name + ".dfc", hidden)};
  }

  // a.out[N,C] = proj(gelu(fc(in[N,C])))
  template <typename Ops, typename S = typename Ops::Scalar>
  void forward(const Weights<S>& w, const Acts<S>& a, const S* in, long rows) const {
    fc_.forward<Ops>(w, a.fc, in, rows);
    Ops::gelu_forward(a.gelu, a.fc, rows * fc_.out());
    proj_.forward<Ops>(w, a.out, a.gelu, rows);
  }
  // din[N,C] = d(in) given dout[N,C] (overwritten).
  template <typename Ops, typename S = typename Ops::Scalar>
  void backward(const Weights<S>& w, const Acts<S>& a, const Scratch<S>& s, const S* in, const S* dout,
                S* din, long rows) const {
    const size_t hidden = rows * fc_.out();
    proj_.backward<Ops>(w, dout, a.gelu, s.dgelu, rows);
    Ops::gelu_backward(s.dfc, a.fc, s.dgelu, static_cast<long>(hidden));
    fc_.backward<Ops>(w, s.dfc, in, din, rows);
  }

 private:
  Linear fc_, proj_;
};

}  // namespace cllm::layers
