#include "ops/rope.h"

#include <cmath>

#include "kernels/parallel.h"

namespace cllm::ops {

std::vector<double> rope_table(int max_positions, int head_size) {
  std::vector<double> table(static_cast<size_t>(max_positions) * head_size);
  for (int p = 0; p < max_positions; ++p)
    for (int i = 0; i < head_size / 2; ++i) {
      const double angle = p * std::pow(10000.0, -2.0 * i / head_size);
      table[static_cast<size_t>(p) * head_size + 2 * i] = std::cos(angle);
      table[static_cast<size_t>(p) * head_size + 2 * i + 1] = std::sin(angle);
    }
  return table;
}

// Rows are independent: each thread runs the reference's row rotation.
void rope_forward(float* qkv, const float* table, int B, int T, int position, int T_max, int C, int NH) {
  check_rope_shape("rope_forward", B, T, position, T_max, C, NH);
  kernels::parallel_for(static_cast<long>(B) * T, static_cast<long>(B) * T * C * 4, [&](long n) {
    rope_rotate_row_ref(qkv + n * 3 * C, table + (position + n % T) * static_cast<long>(C / NH), C, NH, 1);
  });
}

void rope_backward(float* dqkv, const float* table, int B, int T, int position, int T_max, int C, int NH) {
  check_rope_shape("rope_backward", B, T, position, T_max, C, NH);
  kernels::parallel_for(static_cast<long>(B) * T, static_cast<long>(B) * T * C * 4, [&](long n) {
    rope_rotate_row_ref(dqkv + n * 3 * C, table + (position + n % T) * static_cast<long>(C / NH), C, NH, -1);
  });
}

}  // namespace cllm::ops
