#pragma once
// The damped Fourier mixer: a token mixer that can stand in for attention in a block. Every channel is
// a causal long convolution of the block's normalised input with a kernel that is a learned sum of
// kModes damped oscillations (ops/damped_conv.h), followed by an output Linear(C -> C) that mixes the
// channels (transformer.h.<l>.fourier.c_proj).
//
// Training runs the convolution by FFT in O(T log T) (backward too). Decoding keeps each sequence's
// past inputs in the cache and computes one output position by the direct sum over them, O(t) per
// channel; the kernel [C, T_max] is computed once, when a decode starts (position 0).

#include <algorithm>
#include <string>
#include <type_traits>

#include "layers/activation_table.h"
#include "layers/kv_cache.h"
#include "layers/linear.h"
#include "ops/shape_check.h"

namespace cllm::layers {

class FourierMixer {
 public:
  static constexpr int kModes = 4;  // damped oscillations per channel

  // prefix e.g. "transformer.h.1.fourier.". Declares amplitude, log_decay (rho: lambda = exp(rho)),
  // frequency and phase, each [C, kModes], then c_proj. Amplitudes start random; decay rates and
  // frequencies start spread deterministically over their ranges (time scales from 1 to T_max positions,
  // frequencies in [0, pi)); phases at 0.
  FourierMixer(ParameterTable& table, const std::string& prefix, int channels, int max_positions,
               double residual_std);

  template <typename S>
  struct Acts {
    S* kernel = nullptr;  // [C,T] (training; when decoding the kernel lives in the cache)
    S* y = nullptr;       // [N,C] the convolution
    S* out = nullptr;     // [N,C]
  };
  template <typename S>
  struct Scratch {
    S* dy = nullptr;       // [N,C]
    S* dkernel = nullptr;  // [C,T]
  };
  template <typename S>
  Acts<S> plan(Slicer<S>& slicer, const std::string& name, const Pass& pass, bool decoding) const {
    const long N = pass.rows();
    return {decoding ? nullptr : slicer.take(name + ".kernel", static_cast<size_t>(channels_) * pass.T),
            slicer.take(name + ".y", N * channels_), slicer.take(name + ".out", N * channels_)};
  }
  template <typename S>
  Scratch<S> plan_backward(Slicer<S>& slicer, const std::string& name, const Pass& pass) const {
    return {slicer.take(name + ".dy", pass.rows() * channels_),
            slicer.take(name + ".dkernel", static_cast<size_t>(channels_) * pass.T)};
  }

  // a.out[N,C] = mixer(in[N,C]). With `cache` (decoding, pass.T == 1): in is appended to the cached
  // inputs and the convolution is evaluated at pass.position.
  template <typename Ops, typename S = typename Ops::Scalar>
  void forward(const Weights<S>& w, const Acts<S>& a, const S* in, const Pass& pass,
               std::type_identity_t<KvLayer<S>>* cache) const {
    const int C = channels_;
    if (!cache) {
      kernel<Ops>(w, a.kernel, pass.T);
      Ops::causal_conv_forward(a.y, in, a.kernel, pass.B, pass.T, C);
    } else {
      CLLM_CHECK_SHAPE("fourier mixer decoding", pass.T == 1 && pass.position < cache->max_positions);
      if (pass.position == 0) kernel<Ops>(w, cache->kernel, cache->max_positions);
      for (int s = 0; s < pass.B; ++s)
        cache->put_channel_major(s, pass.position, in + static_cast<long>(s) * C, C);
      Ops::causal_conv_step(a.y, cache->k, cache->kernel, pass.B, pass.position, cache->max_positions, C);
    }
    proj_.forward<Ops>(w, a.out, a.y, pass.rows());
  }

  // din[N,C] = d(in) given dout[N,C] (overwritten, as the other layers; training passes only).
  template <typename Ops, typename S = typename Ops::Scalar>
  void backward(const Weights<S>& w, const Acts<S>& a, const Scratch<S>& s, const S* in, const S* dout,
                S* din, const Pass& pass) const {
    const long N = pass.rows();
    const int C = channels_, T = pass.T;
    proj_.backward<Ops>(w, dout, a.y, s.dy, N);
    zero(s.dkernel, static_cast<size_t>(C) * T);
    Ops::causal_conv_backward(din, s.dkernel, s.dy, in, a.kernel, pass.B, T, C);
    Ops::damped_kernel_backward(w.g + amplitude_, w.g + log_decay_, w.g + frequency_, w.g + phase_, s.dkernel,
                                w.p + amplitude_, w.p + log_decay_, w.p + frequency_, w.p + phase_, C, kModes,
                                T);
  }

 private:
  template <typename Ops, typename S>
  void kernel(const Weights<S>& w, S* h, int lags) const {
    Ops::damped_kernel_forward(h, w.p + amplitude_, w.p + log_decay_, w.p + frequency_, w.p + phase_,
                               channels_, kModes, lags);
  }

  int channels_;
  size_t amplitude_, log_decay_, frequency_, phase_;
  Linear proj_;
};

}  // namespace cllm::layers
