#pragma once
// A team of OpenMP threads whose helpers wait for work by spinning, for work made of many tiny parallel
// steps: a batch-1 decoding step is about 20 matrix-vector products and attentions of a few
// microseconds each. libgomp's fork and its barrier each cost a futex system call, measured at 3 and
// 1.4 microseconds in a VM, as much as the product they would split, and a fork per token also made the
// products after it slower (2 threads: 70 instead of 55 microseconds per token for the same products);
// handing a task to spinning helpers costs about 0.4 microseconds.
//
// The team lives for one call of run_with_spin_team: the generator runs its whole loop in one, so
// sampling and streaming between steps keep the helpers spinning. A helper left idle for milliseconds
// (the caller paused) sleeps until the next task.
//
// Inside it, the calling thread runs the work serially and every kernels::parallel_for it reaches is
// split across the team: thread t always takes the t-th contiguous share of the iterations, so each core
// keeps reading the same rows of every weight matrix and finds them in its own cache.

#include <functional>

namespace cllm::kernels {

// Runs `work` on the calling thread with threads - 1 spinning helpers (an OpenMP team). Directly, without
// a team, when threads < 2 or inside another parallel region. Exceptions from `work` or from a task reach
// the caller.
void run_with_spin_team(int threads, const std::function<void()>& work);

// The calling thread leads a spin team (it is inside run_with_spin_team's `work`).
bool in_spin_team();
// Threads of the team the calling thread leads (1 outside a team).
int spin_team_size();

// The team's parallel loop (used by parallel_for): run(body, begin, end) on every thread's share of
// [0, n), the leader's included; returns when all are done.
void spin_team_for(long n, void (*run)(const void* body, long begin, long end), const void* body);

}  // namespace cllm::kernels
