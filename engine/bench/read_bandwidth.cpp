#include "bench/read_bandwidth.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "kernels/spin_team.h"
#include "ops/matmul.h"
#include "util/huge_page_allocator.h"

namespace cllm::bench {

double measure_read_bandwidth(size_t bytes, int threads, double seconds) {
  constexpr int kColumns = 256;
  const int rows = static_cast<int>(std::max<size_t>(1, bytes / (sizeof(float) * kColumns)));
  HugePageVector<float> matrix(static_cast<size_t>(rows) * kColumns, 1.0f);
  std::vector<float> x(kColumns, 1.0f), out(rows);
  auto pass = [&] { ops::matmul_forward(out.data(), x.data(), matrix.data(), nullptr, 1, kColumns, rows); };
  const double matrix_bytes = double(rows) * kColumns * sizeof(float);
  double best = 0;
  kernels::run_with_spin_team(threads, [&] {
    pass();  // page faults, first fill of the caches
    double spent = 0;
    for (int rep = 0; rep < 1000 && (rep < 5 || spent < seconds); ++rep) {
      const auto t0 = std::chrono::steady_clock::now();
      pass();
      const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      spent += dt;
      best = std::max(best, matrix_bytes / dt / 1e9);
    }
  });
  return best;
}

}  // namespace cllm::bench
