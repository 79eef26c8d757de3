#include "ops/damped_conv.h"

#include <complex>
#include <memory>
#include <vector>

#include "kernels/fft.h"
#include "kernels/parallel.h"

namespace cllm::ops {
namespace {

// The padded length: at least 2T - 1 so a circular convolution of two T-long signals equals the linear
// one on its first T outputs.
int padded_length(int T) {
  return 2 * T;
}

// One thread's batch of C transforms of length n (rebuilt when the size changes).
kernels::RealFftBatch& thread_batch(int n, int C) {
  thread_local std::unique_ptr<kernels::RealFftBatch> batch;
  if (!batch || batch->n() != n || batch->count() != C) batch = std::make_unique<kernels::RealFftBatch>(n, C);
  return *batch;
}

// Loads x[T, C] (row stride C; channel c of sequence row t) into the batch as C zero-padded rows.
void load_channels(kernels::RealFftBatch& f, const float* x, int T, int C) {
  const int n = f.n();
  float* r = f.real();
  for (int c = 0; c < C; ++c) {
    for (int t = 0; t < T; ++t) r[static_cast<long>(c) * n + t] = x[static_cast<long>(t) * C + c];
    for (int t = T; t < n; ++t) r[static_cast<long>(c) * n + t] = 0.0f;
  }
}

// The spectra of the kernels h[C,T], zero-padded to n.
std::vector<std::complex<float>> kernel_spectra(const float* h, int T, int C, int n) {
  kernels::RealFftBatch& f = thread_batch(n, C);
  for (int c = 0; c < C; ++c) {
    float* r = f.real() + static_cast<long>(c) * n;
    for (int k = 0; k < T; ++k) r[k] = h[static_cast<long>(c) * T + k];
    for (int k = T; k < n; ++k) r[k] = 0.0f;
  }
  f.forward();
  return {f.spectrum(), f.spectrum() + static_cast<long>(C) * f.bins()};
}

}  // namespace

// Per channel, each the reference's own loops: transcendental-bound, not worth more.
void damped_kernel_forward(float* h, const float* a, const float* rho, const float* omega, const float* psi,
                           int C, int M, int T) {
  CLLM_CHECK_SHAPE("damped_kernel_forward", C >= 1 && M >= 1 && T >= 1);
  kernels::parallel_for(C, static_cast<long>(C) * M * T * 20, [&](long c) {
    damped_kernel_forward_ref(h + c * T, a + c * M, rho + c * M, omega + c * M, psi + c * M, 1, M, T);
  });
}

void damped_kernel_backward(float* da, float* drho, float* domega, float* dpsi, const float* dh,
                            const float* a, const float* rho, const float* omega, const float* psi, int C,
                            int M, int T) {
  CLLM_CHECK_SHAPE("damped_kernel_backward", C >= 1 && M >= 1 && T >= 1);
  kernels::parallel_for(C, static_cast<long>(C) * M * T * 40, [&](long c) {
    const long i = c * M;
    damped_kernel_backward_ref(da + i, drho + i, domega + i, dpsi + i, dh + c * T, a + i, rho + i, omega + i,
                               psi + i, 1, M, T);
  });
}

// Per sequence: y = IFFT(FFT(u) FFT(h)) / n, the first T outputs.
void causal_conv_forward(float* y, const float* u, const float* h, int B, int T, int C) {
  check_conv_shape("causal_conv_forward", B, T, C);
  const int n = padded_length(T);
  const auto H = kernel_spectra(h, T, C, n);
  const float inv_n = 1.0f / static_cast<float>(n);
  kernels::parallel_for(B, static_cast<long>(B) * C * n * 16, [&](long b) {
    kernels::RealFftBatch& f = thread_batch(n, C);
    load_channels(f, u + b * T * C, T, C);
    f.forward();
    std::complex<float>* s = f.spectrum();
    for (long i = 0; i < static_cast<long>(C) * f.bins(); ++i) s[i] *= H[i];
    f.inverse();
    for (int t = 0; t < T; ++t)
      for (int c = 0; c < C; ++c) y[(b * T + t) * C + c] = f.real()[static_cast<long>(c) * n + t] * inv_n;
  });
}

// Both gradients are correlations, i.e. products with a conjugate spectrum:
//   du = IFFT(FFT(dy) conj(FFT(h))),  dh = IFFT(sum_b FFT(dy_b) conj(FFT(u_b))),
// the first T outputs of each (the zero padding keeps negative lags out of them).
void causal_conv_backward(float* du, float* dh, const float* dy, const float* u, const float* h, int B, int T,
                          int C) {
  check_conv_shape("causal_conv_backward", B, T, C);
  const int n = padded_length(T), bins = n / 2 + 1;
  const auto H = kernel_spectra(h, T, C, n);
  const float inv_n = 1.0f / static_cast<float>(n);
  const long width = static_cast<long>(C) * bins;
  // The spectrum of dh, summed over the batch in per-thread partials (re, im interleaved).
  std::vector<std::complex<float>> G(width);
  kernels::parallel_reduce_rows(
      B, static_cast<int>(2 * width), reinterpret_cast<float*>(G.data()), static_cast<long>(B) * C * n * 48,
      [&](long b, float* partial) {
        auto* g = reinterpret_cast<std::complex<float>*>(partial);
        kernels::RealFftBatch& f = thread_batch(n, C);
        load_channels(f, u + b * T * C, T, C);
        f.forward();
        const std::vector<std::complex<float>> U(f.spectrum(), f.spectrum() + width);
        load_channels(f, dy + b * T * C, T, C);
        f.forward();
        std::complex<float>* d = f.spectrum();
        for (long i = 0; i < width; ++i) {
          g[i] += d[i] * std::conj(U[i]);
          d[i] *= std::conj(H[i]);
        }
        f.inverse();
        for (int t = 0; t < T; ++t)
          for (int c = 0; c < C; ++c)
            du[(b * T + t) * C + c] = f.real()[static_cast<long>(c) * n + t] * inv_n;
      });
  kernels::RealFftBatch& f = thread_batch(n, C);
  std::copy(G.begin(), G.end(), f.spectrum());
  f.inverse();
  for (int c = 0; c < C; ++c)
    for (int k = 0; k < T; ++k)
      dh[static_cast<long>(c) * T + k] += f.real()[static_cast<long>(c) * n + k] * inv_n;
}

void causal_conv_step(float* y, const float* history, const float* h, int NS, int t, int T_max, int C) {
  check_conv_shape("causal_conv_step", NS, T_max, C);
  CLLM_CHECK_SHAPE("causal_conv_step", t >= 0 && t < T_max);
  kernels::parallel_for(NS, static_cast<long>(NS) * C * (t + 1) * 2, [&](long s) {
    causal_conv_step_ref(y + s * C, history + s * T_max * C, h, 1, t, T_max, C);
  });
}

}  // namespace cllm::ops
