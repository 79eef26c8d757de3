#pragma once
// The read bandwidth decoding's matrix-vector products get from a working set of a given size: the
// product decoding uses (ops::matmul_forward with one row, in a spin team of `threads` threads, on a
// matrix in huge pages like the model's weights) streaming a matrix of that many bytes, repeated until
// the time is stable. For a few MB that is L2 and L3 on this project's hosts; for tens of MB, memory. It
// turns a decoding step's bytes (bench/flops.h) into a bound on its time.

#include <cstddef>

namespace cllm::bench {

// GB/s (10^9 bytes), best of several repetitions of about `seconds` in total.
double measure_read_bandwidth(size_t bytes, int threads, double seconds = 0.2);

}  // namespace cllm::bench
