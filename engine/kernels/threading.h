#pragma once
// The engine's one owner of threads: OpenMP. OpenBLAS (OpenMP build) shares the same runtime, so setting
// the count here sets it for both. Callers outside the engine never create compute threads.

namespace cllm::kernels {

// Threads used by parallel loops and matrix products from now on (>= 1).
void set_num_threads(int n);
int num_threads();
// Physical cores available to this process (not SMT siblings): the default thread count.
int default_num_threads();

}  // namespace cllm::kernels
