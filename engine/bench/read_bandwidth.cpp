#include "bench/read_bandwidth.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "kernels/cpu_kernels.h"

namespace cllm::bench {

double measure_read_bandwidth(size_t bytes, double seconds) {
  constexpr int kColumns = 256;
  const int rows = static_cast<int>(std::max<size_t>(1, bytes / (sizeof(float) * kColumns)));
  std::vector<float> matrix(static_cast<size_t>(rows) * kColumns, 1.0f), x(kColumns, 1.0f), out(rows);
  const auto& k = kernels::cpu_kernels();
  auto pass = [&] { k.matvec_rows(out.data(), rows, x.data(), matrix.data(), nullptr, 1, kColumns, rows); };
  pass();  // page faults, first fill of the caches
  const double matrix_bytes = double(rows) * kColumns * sizeof(float);
  double best = 0, spent = 0;
  for (int rep = 0; rep < 1000 && (rep < 5 || spent < seconds); ++rep) {
    const auto t0 = std::chrono::steady_clock::now();
    pass();
    const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    spent += dt;
    best = std::max(best, matrix_bytes / dt / 1e9);
  }
  return best;
}

}  // namespace cllm::bench
