#pragma once
// The host's float32 FMA peak, measured: a short register-only loop of independent fused multiply-adds
// on the widest vector unit the CPU has (chosen at run time, so a portable build still measures the real
// peak). Benchmarks report achieved GFLOP/s as a share of this, since hosts of the same kind differ.

#include <string>

namespace cllm::bench {

struct PeakFlops {
  double gflops = 0;  // float32, all `threads` threads together
  int threads = 1;
  std::string isa;  // "avx512f", "avx2+fma" or "sse2"
};

// Runs for about `seconds` (best of a few repetitions).
PeakFlops measure_peak_flops(int threads, double seconds = 0.3);

}  // namespace cllm::bench
