#include "ops/residual.h"

#include "kernels/parallel.h"

namespace cllm::ops {

void residual_forward(float* out, const float* a, const float* b, long N) {
  kernels::parallel_chunks(N, 1, [&](long begin, long end) {
    for (long i = begin; i < end; ++i) out[i] = a[i] + b[i];
  });
}

void residual_backward(float* da, float* db, const float* dout, long N) {
  kernels::parallel_chunks(N, 1, [&](long begin, long end) {
    for (long i = begin; i < end; ++i) {
      da[i] += dout[i];
      db[i] += dout[i];
    }
  });
}

}  // namespace cllm::ops
