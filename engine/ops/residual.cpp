#include "ops/residual.h"

#include "kernels/parallel.h"

namespace cllm::ops {

// Contiguous chunks, each the reference's loop.
void residual_forward(float* out, const float* a, const float* b, long N) {
  CLLM_CHECK_SHAPE("residual_forward", N >= 1);
  kernels::parallel_chunks(N, 1, [&](long begin, long end) {
    residual_forward_ref(out + begin, a + begin, b + begin, end - begin);
  });
}

void residual_backward(float* da, float* db, const float* dout, long N) {
  CLLM_CHECK_SHAPE("residual_backward", N >= 1);
  kernels::parallel_chunks(N, 1, [&](long begin, long end) {
    residual_backward_ref(da + begin, db + begin, dout + begin, end - begin);
  });
}

}  // namespace cllm::ops
