#pragma once
// The engine's one owner of threads: OpenMP. OpenBLAS (OpenMP build) shares the same runtime, so setting
// the count here sets it for both. Callers outside the engine never create compute threads.

namespace cllm::kernels {

// Threads used by parallel loops and matrix products from now on: n, at least 1 and at most the OpenMP
// thread limit (OMP_THREAD_LIMIT).
void set_num_threads(int n);
int num_threads();
// Physical cores available to this process (not SMT siblings, at most the OpenMP thread limit): the
// default thread count.
int default_num_threads();

}  // namespace cllm::kernels
