#include "kernels/fft.h"

#include <fftw3.h>

#include <map>
#include <mutex>
#include <new>
#include <utility>

namespace cllm::kernels {
namespace {

struct Plans {
  fftwf_plan forward = nullptr, inverse = nullptr;
};

// FFTW's planner is not thread-safe; executing a plan on new arrays is. Plans are made here, under a
// lock, with FFTW_ESTIMATE (no timing runs), on buffers of the same alignment as every batch's, and kept
// for the life of the process (a handful of sizes).
Plans plans_for(int n, int count) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, Plans> cache;
  const std::lock_guard lock(mutex);
  Plans& p = cache[{n, count}];
  if (!p.forward) {
    const int bins = n / 2 + 1;
    float* real = fftwf_alloc_real(static_cast<size_t>(n) * count);
    fftwf_complex* spectrum = fftwf_alloc_complex(static_cast<size_t>(bins) * count);
    p.forward =
        fftwf_plan_many_dft_r2c(1, &n, count, real, nullptr, 1, n, spectrum, nullptr, 1, bins, FFTW_ESTIMATE);
    p.inverse =
        fftwf_plan_many_dft_c2r(1, &n, count, spectrum, nullptr, 1, bins, real, nullptr, 1, n, FFTW_ESTIMATE);
    fftwf_free(real);
    fftwf_free(spectrum);
  }
  return p;
}

}  // namespace

RealFftBatch::RealFftBatch(int n, int count) : n_(n), count_(count) {
  const Plans p = plans_for(n, count);
  forward_plan_ = p.forward;
  inverse_plan_ = p.inverse;
  real_ = fftwf_alloc_real(static_cast<size_t>(n) * count);
  spectrum_ =
      reinterpret_cast<std::complex<float>*>(fftwf_alloc_complex(static_cast<size_t>(bins()) * count));
  if (!real_ || !spectrum_ || !forward_plan_ || !inverse_plan_) throw std::bad_alloc();
}

RealFftBatch::~RealFftBatch() {
  fftwf_free(real_);
  fftwf_free(spectrum_);
}

void RealFftBatch::forward() {
  fftwf_execute_dft_r2c(static_cast<fftwf_plan>(forward_plan_), real_,
                        reinterpret_cast<fftwf_complex*>(spectrum_));
}

void RealFftBatch::inverse() {
  fftwf_execute_dft_c2r(static_cast<fftwf_plan>(inverse_plan_), reinterpret_cast<fftwf_complex*>(spectrum_),
                        real_);
}

}  // namespace cllm::kernels
