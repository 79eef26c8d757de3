#include "ops/gelu.h"

#include "kernels/cpu_kernels.h"
#include "kernels/parallel.h"

namespace cllm::ops {

void gelu_forward(float* out, const float* inp, long N) {
  CLLM_CHECK_SHAPE("gelu_forward", N >= 1);
  kernels::parallel_chunks(N, 8, [&](long begin, long end) {
    kernels::cpu_kernels().gelu_forward(out + begin, inp + begin, end - begin);
  });
}

void gelu_backward(float* dinp, const float* inp, const float* dout, long N) {
  CLLM_CHECK_SHAPE("gelu_backward", N >= 1);
  kernels::parallel_chunks(N, 8, [&](long begin, long end) {
    kernels::cpu_kernels().gelu_backward(dinp + begin, inp + begin, dout + begin, end - begin);
  });
}

}  // namespace cllm::ops
