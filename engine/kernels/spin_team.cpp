#include "kernels/spin_team.h"

#include <omp.h>

#include <atomic>
#include <exception>
#include <thread>

namespace cllm::kernels {
namespace {

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// How long an idle helper spins before it sleeps: a few milliseconds, far longer than any gap inside a
// decoding loop (sampling, streaming text), so a system call is paid only when the leader has paused.
constexpr int kSpinsBeforeSleep = 1 << 16;

struct Team {
  int threads = 1;
  std::atomic<unsigned> posted{0};  // tasks handed out so far (+1 when closing)
  std::atomic<int> finished{0};     // helpers done with the current task
  std::atomic<int> sleepers{0};     // helpers asleep on `posted`
  bool closing = false;             // written before the last raise of `posted`
  // The current task; written by the leader before `posted` is raised, read by helpers after.
  long n = 0;
  void (*run)(const void*, long, long) = nullptr;
  const void* body = nullptr;
  std::atomic<bool> failed{false};
  std::exception_ptr error;  // the first helper error of the current task (set by whoever wins `failed`)

  void run_share(int t) const {
    const long begin = n * t / threads, end = n * (t + 1) / threads;
    if (begin < end) run(body, begin, end);
  }

  void post() {
    posted.fetch_add(1, std::memory_order_seq_cst);
    if (sleepers.load(std::memory_order_seq_cst) > 0) posted.notify_all();
  }

  // A helper's wait for the next raise of `posted` past `seen`: spin, then sleep.
  unsigned next_post(unsigned seen) {
    for (int spins = 0;; ++spins) {
      const unsigned now = posted.load(std::memory_order_acquire);
      if (now != seen) return now;
      if (spins < kSpinsBeforeSleep) {
        cpu_relax();
        continue;
      }
      sleepers.fetch_add(1, std::memory_order_seq_cst);
      if (posted.load(std::memory_order_seq_cst) == seen) posted.wait(seen, std::memory_order_seq_cst);
      sleepers.fetch_sub(1, std::memory_order_relaxed);
      spins = 0;
    }
  }
};

// The team the calling thread leads; null on helpers, outside a team and while the leader runs its own
// share of a task (a parallel_for nested in a task body runs serially, as in OpenMP).
thread_local Team* led = nullptr;

void help(Team& team, int t) {
  for (unsigned seen = 0;;) {
    seen = team.next_post(seen);
    // The leader closes only after every task it posted has finished, so nothing is left behind.
    if (team.closing) return;
    try {
      team.run_share(t);
    } catch (...) {
      if (!team.failed.exchange(true)) team.error = std::current_exception();
    }
    team.finished.fetch_add(1, std::memory_order_release);
  }
}

}  // namespace

bool in_spin_team() {
  return led != nullptr;
}

int spin_team_size() {
  return led ? led->threads : 1;
}

void spin_team_for(long n, void (*run)(const void*, long, long), const void* body) {
  Team& team = *led;
  team.n = n, team.run = run, team.body = body;
  team.finished.store(0, std::memory_order_relaxed);
  team.post();
  std::exception_ptr own;
  led = nullptr;
  try {
    team.run_share(0);
  } catch (...) {
    own = std::current_exception();
  }
  led = &team;
  // Helpers read the task (and the body on this thread's stack) until they report: wait even on error.
  // A helper that takes long was descheduled (more threads than cores): then give the core away.
  for (int spins = 0; team.finished.load(std::memory_order_acquire) != team.threads - 1; ++spins) {
    if (spins < kSpinsBeforeSleep)
      cpu_relax();
    else
      std::this_thread::yield();
  }
  if (team.failed.load(std::memory_order_relaxed)) {
    team.failed.store(false, std::memory_order_relaxed);
    own = own ? own : team.error;
    team.error = nullptr;
  }
  if (own) std::rethrow_exception(own);
}

void run_with_spin_team(int threads, const std::function<void()>& work) {
  if (threads < 2 || led || omp_in_parallel()) return work();
  Team team;
  std::exception_ptr error;
#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    if (t == 0) {
      // The runtime may grant fewer threads than asked; helpers read this only after the first task.
      team.threads = omp_get_num_threads();
      led = &team;
      try {
        work();
      } catch (...) {
        error = std::current_exception();
      }
      led = nullptr;
      team.closing = true;
      team.post();
    } else {
      help(team, t);
    }
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace cllm::kernels
