#pragma once
// The damped Fourier mixing of the spec: a causal long convolution per channel whose kernel is a learned
// sum of M damped oscillations,
//   h_c[k] = sum_m a[c,m] exp(-lambda[c,m] k) cos(omega[c,m] k + psi[c,m]),  lambda = exp(rho) > 0,
//   y[b,t,c] = sum_{k<=t} h_c[k] u[b,t-k,c].
// Two op pairs: the kernel from its parameters, and the convolution. The references convolve directly
// (O(T^2) per channel); the fast convolution uses FFTs zero-padded to 2T (no wrap-around) in
// O(T log T), forward and backward.

#include <algorithm>
#include <cmath>

#include "ops/shape_check.h"

namespace cllm::ops {

// h[C,T] from a, rho, omega, psi [C,M].
template <typename S>
void damped_kernel_forward_ref(S* h, const S* a, const S* rho, const S* omega, const S* psi, int C, int M,
                               int T) {
  using std::cos, std::exp;
  CLLM_CHECK_SHAPE("damped_kernel_forward", C >= 1 && M >= 1 && T >= 1);
  for (int c = 0; c < C; ++c)
    for (int k = 0; k < T; ++k) {
      S sum = 0;
      for (int m = 0; m < M; ++m) {
        const long i = static_cast<long>(c) * M + m;
        sum += a[i] * exp(-exp(rho[i]) * S(k)) * cos(omega[i] * S(k) + psi[i]);
      }
      h[static_cast<long>(c) * T + k] = sum;
    }
}

// da, drho, domega, dpsi [C,M] += the gradients, given dh[C,T].
template <typename S>
void damped_kernel_backward_ref(S* da, S* drho, S* domega, S* dpsi, const S* dh, const S* a, const S* rho,
                                const S* omega, const S* psi, int C, int M, int T) {
  using std::cos, std::exp, std::sin;
  CLLM_CHECK_SHAPE("damped_kernel_backward", C >= 1 && M >= 1 && T >= 1);
  for (int c = 0; c < C; ++c)
    for (int m = 0; m < M; ++m) {
      const long i = static_cast<long>(c) * M + m;
      const S lambda = exp(rho[i]);
      S ga = 0, grho = 0, gomega = 0, gpsi = 0;
      for (int k = 0; k < T; ++k) {
        const S d = dh[static_cast<long>(c) * T + k], kk = S(k);
        const S decay = exp(-lambda * kk), angle = omega[i] * kk + psi[i];
        const S wave = decay * cos(angle), swing = decay * sin(angle);
        ga += d * wave;
        grho += d * a[i] * wave * (-kk * lambda);  // d/d rho of exp(-exp(rho) k) = -k lambda exp(...)
        gomega += d * -a[i] * swing * kk;
        gpsi += d * -a[i] * swing;
      }
      da[i] += ga, drho[i] += grho, domega[i] += gomega, dpsi[i] += gpsi;
    }
}

inline void check_conv_shape(const char* op, int B, int T, int C) {
  CLLM_CHECK_SHAPE(op, B >= 1 && T >= 1 && C >= 1);
}

// y[B,T,C] = causal convolution of u[B,T,C] with h[C,T] per channel.
template <typename S>
void causal_conv_forward_ref(S* y, const S* u, const S* h, int B, int T, int C) {
  check_conv_shape("causal_conv_forward", B, T, C);
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      for (int c = 0; c < C; ++c) {
        S sum = 0;
        for (int k = 0; k <= t; ++k)
          sum += h[static_cast<long>(c) * T + k] * u[(static_cast<long>(b) * T + t - k) * C + c];
        y[(static_cast<long>(b) * T + t) * C + c] = sum;
      }
}

// du[B,T,C] = d(u) (OVERWRITTEN: the Fourier mixer's input gradient has no other writer), dh[C,T] += d(h),
// given dy[B,T,C]:
//   du[b,s,c] = sum_{t>=s} dy[b,t,c] h_c[t-s],  dh_c[k] = sum_b sum_{t>=k} dy[b,t,c] u[b,t-k,c].
template <typename S>
void causal_conv_backward_ref(S* du, S* dh, const S* dy, const S* u, const S* h, int B, int T, int C) {
  check_conv_shape("causal_conv_backward", B, T, C);
  std::fill(du, du + static_cast<long>(B) * T * C, S(0));
  for (int b = 0; b < B; ++b)
    for (int t = 0; t < T; ++t)
      for (int c = 0; c < C; ++c) {
        const S d = dy[(static_cast<long>(b) * T + t) * C + c];
        for (int k = 0; k <= t; ++k) {
          const long from = (static_cast<long>(b) * T + t - k) * C + c;
          du[from] += d * h[static_cast<long>(c) * T + k];
          dh[static_cast<long>(c) * T + k] += d * u[from];
        }
      }
}

// Decoding: position t of NS sequences from their inputs so far, history[NS,C,T_max] (channel-major,
// positions 0..t), and the kernel h[C,T_max]: y[NS,C]. O(t) per channel: the cached form of the convolution.
template <typename S>
void causal_conv_step_ref(S* y, const S* history, const S* h, int NS, int t, int T_max, int C) {
  check_conv_shape("causal_conv_step", NS, T_max, C);
  CLLM_CHECK_SHAPE("causal_conv_step", t >= 0 && t < T_max);
  for (int s = 0; s < NS; ++s)
    for (int c = 0; c < C; ++c) {
      S sum = 0;
      for (int k = 0; k <= t; ++k)
        sum += h[static_cast<long>(c) * T_max + k] * history[(static_cast<long>(s) * C + c) * T_max + t - k];
      y[static_cast<long>(s) * C + c] = sum;
    }
}

void damped_kernel_forward(float* h, const float* a, const float* rho, const float* omega, const float* psi,
                           int C, int M, int T);
void damped_kernel_backward(float* da, float* drho, float* domega, float* dpsi, const float* dh,
                            const float* a, const float* rho, const float* omega, const float* psi, int C,
                            int M, int T);
void causal_conv_forward(float* y, const float* u, const float* h, int B, int T, int C);
void causal_conv_backward(float* du, float* dh, const float* dy, const float* u, const float* h, int B, int T,
                          int C);
void causal_conv_step(float* y, const float* history, const float* h, int NS, int t, int T_max, int C);

}  // namespace cllm::ops
