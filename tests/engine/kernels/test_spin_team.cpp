// The spin team shares every parallel_for among its threads in fixed contiguous shares, passes errors
// from any thread to the caller, runs nested loops serially, and wakes helpers that fell asleep.
#include "kernels/spin_team.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kernels/parallel.h"
#include "kernels/threading.h"

namespace {

using namespace cllm::kernels;

TEST(SpinTeam, SharesLoopsContiguouslyByThread) {
  constexpr long n = 1001;
  std::vector<int> owner(n, -1);
  std::vector<std::atomic<int>> hits(n);
  run_with_spin_team(2, [&] {
    EXPECT_TRUE(in_spin_team());
    EXPECT_EQ(spin_team_size(), 2);
    for (int round = 0; round < 50; ++round)
      parallel_for(n, kParallelGrain, [&](long i) {
        hits[i]++;
        owner[i] = omp_get_thread_num();
      });
  });
  EXPECT_FALSE(in_spin_team());
  for (long i = 0; i < n; ++i) {
    ASSERT_EQ(hits[i].load(), 50) << i;
    // Thread t takes the t-th half every time, so it keeps reading the same rows.
    ASSERT_EQ(owner[i], i < n / 2 ? 0 : 1) << i;
  }
}

TEST(SpinTeam, SmallLoopsStayOnTheLeader) {
  std::vector<int> owner(8, -1);
  run_with_spin_team(
      2, [&] { parallel_for(8, kParallelGrain - 1, [&](long i) { owner[i] = omp_get_thread_num(); }); });
  for (int o : owner) EXPECT_EQ(o, 0);
}

TEST(SpinTeam, ErrorsFromEitherThreadReachTheCallerAndTheTeamGoesOn) {
  for (long failing : {0L, 99L}) {  // the leader's share, the helper's share
    int completed = 0;
    EXPECT_THROW(run_with_spin_team(2,
                                    [&] {
                                      try {
                                        parallel_for(100, kParallelGrain, [&](long i) {
                                          if (i == failing) throw std::runtime_error("task failed");
                                        });
                                      } catch (const std::runtime_error&) {
                                        // The same team still runs the next loop on both threads.
                                        std::atomic<int> done{0};
                                        parallel_for(100, kParallelGrain, [&](long) { done++; });
                                        completed = done.load();
                                        throw;
                                      }
                                    }),
                 std::runtime_error)
        << "failing index " << failing;
    EXPECT_EQ(completed, 100);
  }
  EXPECT_THROW(run_with_spin_team(2, [] { throw std::logic_error("work failed"); }), std::logic_error);
}

TEST(SpinTeam, NestedLoopsRunSeriallyInsideATask) {
  std::vector<std::atomic<int>> hits(64 * 64);
  run_with_spin_team(2, [&] {
    parallel_for(64, kParallelGrain,
                 [&](long i) { parallel_for(64, kParallelGrain, [&](long j) { hits[i * 64 + j]++; }); });
  });
  for (auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(SpinTeam, HelpersThatFellAsleepWakeForTheNextLoop) {
  std::atomic<int> done{0};
  run_with_spin_team(2, [&] {
    for (int round = 0; round < 3; ++round) {
      // Far longer than a helper spins before it sleeps (milliseconds).
      std::this_thread::sleep_for(std::chrono::milliseconds(30));
      parallel_for(10, kParallelGrain, [&](long) { done++; });
    }
  });
  EXPECT_EQ(done.load(), 30);
}

TEST(SpinTeam, OneThreadOrAnEnclosingParallelRegionMeansNoTeam) {
  bool team = true;
  run_with_spin_team(1, [&] { team = in_spin_team(); });
  EXPECT_FALSE(team);
  int teams = 0;
#pragma omp parallel num_threads(2) reduction(+ : teams)
  run_with_spin_team(2, [&] { teams += in_spin_team() ? 1 : 0; });
  EXPECT_EQ(teams, 0);
}

}  // namespace
