#pragma once
// The engine's parallel loops. Three shapes cover every op:
//   parallel_for:         independent iterations (rows, heads).
//   parallel_chunks:      elementwise work over a long array, in contiguous vectorisable chunks.
//   parallel_reduce_rows: rows that also add into one shared vector (bias and gain gradients).
// Both run serially when the work is too small to pay for waking threads. Inside a spin team
// (kernels/spin_team.h: decoding) parallel_for hands its iterations to the team's spinning threads
// instead of forking OpenMP threads.
// Reductions sum per-thread partials in thread order, so results are bit-identical run to run for a
// fixed thread count — resumed training depends on that.

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "kernels/spin_team.h"

namespace cllm::kernels {

// Below this many scalar operations a loop runs on the calling thread. Inside a spin team as well: there
// a hand-off costs the helper about 0.4 microseconds to notice and the leader as much to see the end, and
// the halves of the input and output cross between the cores, so a 128 x 128 product (64 KB, under a
// microsecond on one core) is faster unsplit. Measured over whole decoding steps (AMD EPYC VM, ABBA
// pairs), a grain of 4096 and one of 32768 ran equally fast; splitting nothing was 6% slower.
constexpr long kParallelGrain = 32768;

// OpenMP can give work to more threads than the calling one: not inside a parallel region (the engine's
// products and loops then run on the calling thread only), and more than one thread set.
inline bool openmp_threads_available() {
  return !omp_in_parallel() && omp_get_max_threads() >= 2;
}

// Small work never enters OpenMP: even a region that runs on one thread costs libgomp a futex system call
// (measured: 34 per decoded token, the largest cost of batch-1 decoding in a VM).
template <typename Body>
void parallel_for(long n, long work, Body body) {
  const bool team = in_spin_team();
  if (work < kParallelGrain || n < 2 || (!team && !openmp_threads_available())) {
    for (long i = 0; i < n; ++i) body(i);
    return;
  }
  if (team) {
    spin_team_for(
        n,
        [](const void* b, long begin, long end) {
          for (long i = begin; i < end; ++i) (*static_cast<const Body*>(b))(i);
        },
        &body);
    return;
  }
#pragma omp parallel for schedule(static)
  for (long i = 0; i < n; ++i) body(i);
}

// body(begin, end) over consecutive chunks of [0, n); `work_per_element` scales the serial cut-off.
template <typename Body>
void parallel_chunks(long n, long work_per_element, Body body) {
  constexpr long kChunk = 4096;
  const long chunks = (n + kChunk - 1) / kChunk;
  parallel_for(chunks, n * work_per_element,
               [&](long k) { body(k * kChunk, std::min(n, (k + 1) * kChunk)); });
}

// body(row, partial) for every row in [0, n); partial points at `width` floats owned by the running
// thread, zeroed at the start. Afterwards out[0..width) += sum of partials.
template <typename Body>
void parallel_reduce_rows(long n, int width, float* out, long work, Body body) {
  const bool parallel = work >= kParallelGrain && n >= 2 && openmp_threads_available();
  if (!parallel) {
    for (long i = 0; i < n; ++i) body(i, out);
    return;
  }
  const int threads = omp_get_max_threads();
  thread_local std::vector<float> partials;
  partials.assign(static_cast<size_t>(threads) * width, 0.0f);
  float* base = partials.data();
#pragma omp parallel num_threads(threads)
  {
    float* mine = base + static_cast<long>(omp_get_thread_num()) * width;
#pragma omp for schedule(static)
    for (long i = 0; i < n; ++i) body(i, mine);
  }
  for (int t = 0; t < threads; ++t) {
    const float* p = base + static_cast<long>(t) * width;
    for (int k = 0; k < width; ++k) out[k] += p[k];
  }
}

}  // namespace cllm::kernels
