#include "ops/gelu.h"

#include <Eigen/Core>

#include "kernels/parallel.h"

namespace cllm::ops {
namespace {

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

const float kSqrt2OverPi = static_cast<float>(std::sqrt(2.0 / std::numbers::pi));

}  // namespace

void gelu_forward(float* out, const float* inp, long N) {
  CLLM_CHECK_SHAPE("gelu_forward", N >= 1);
  kernels::parallel_chunks(N, 8, [&](long begin, long end) {
    const long len = end - begin;
    ConstArrayMap x(inp + begin, len);
    // Eigen's vectorised tanh: libm's scalar tanhf would dominate the whole layer.
    ArrayMap(out + begin, len) =
        0.5f * x * (1.0f + (kSqrt2OverPi * (x + static_cast<float>(kGeluCubic) * x.cube())).tanh());
  });
}

void gelu_backward(float* dinp, const float* inp, const float* dout, long N) {
  CLLM_CHECK_SHAPE("gelu_backward", N >= 1);
  kernels::parallel_chunks(N, 8, [&](long begin, long end) {
    const long len = end - begin;
    ConstArrayMap x(inp + begin, len), d(dout + begin, len);
    const Eigen::ArrayXf th = (kSqrt2OverPi * (x + static_cast<float>(kGeluCubic) * x.cube())).tanh();
    ArrayMap(dinp + begin, len) +=
        d * (0.5f * (1.0f + th) + 0.5f * x * (1.0f - th.square()) * kSqrt2OverPi *
                                      (1.0f + static_cast<float>(3 * kGeluCubic) * x.square()));
  });
}

}  // namespace cllm::ops
