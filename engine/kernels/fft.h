#pragma once
// Batched real FFTs for the fast path (FFTW, single precision). One entry point, like gemm.h, so the
// library stays behind this file.
//
// A RealFftBatch holds `count` rows of length n (real) and their spectra (n/2 + 1 complex values per
// row), in FFTW-aligned buffers, and transforms all rows at once. Plans are made once per (n, count)
// and shared; a batch object belongs to one thread (each OpenMP thread keeps its own).

#include <complex>

namespace cllm::kernels {

class RealFftBatch {
 public:
  RealFftBatch(int n, int count);
  ~RealFftBatch();
  RealFftBatch(const RealFftBatch&) = delete;
  RealFftBatch& operator=(const RealFftBatch&) = delete;

  int n() const { return n_; }
  int count() const { return count_; }
  int bins() const { return n_ / 2 + 1; }
  float* real() { return real_; }                        // [count, n]
  std::complex<float>* spectrum() { return spectrum_; }  // [count, n/2 + 1]

  void forward();  // real -> spectrum
  void inverse();  // spectrum -> real, unnormalised: a round trip multiplies by n (the spectrum is consumed)

 private:
  int n_, count_;
  float* real_;
  std::complex<float>* spectrum_;
  void* forward_plan_;
  void* inverse_plan_;
};

}  // namespace cllm::kernels
