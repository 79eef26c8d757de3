#pragma once
// The read bandwidth one thread gets from a working set of a given size: the same vector kernel that
// decoding uses for its matrix-vector products (kernels::CpuKernels::matvec_rows) streaming a matrix of
// that many bytes, repeated until the time is stable. For a few MB that is L3 on this project's hosts; for
// tens of MB, memory. It turns a decoding step's bytes (bench/flops.h) into a bound on its time.

#include <cstddef>

namespace cllm::bench {

// GB/s (10^9 bytes), best of several repetitions of about `seconds` in total.
double measure_read_bandwidth(size_t bytes, double seconds = 0.2);

}  // namespace cllm::bench
