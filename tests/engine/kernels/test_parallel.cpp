// The parallel loops visit every index exactly once, and reductions are bit-identical run to run for a
// fixed thread count (resumed training relies on it) and agree with a serial sum.
#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "../../sanitizer_build.h"
#include "kernels/parallel.h"
#include "kernels/threading.h"

namespace {

using namespace cllm::kernels;

TEST(Parallel, ForVisitsEveryIndexOnce) {
  set_num_threads(2);
  for (long work : {1L, kParallelGrain * 4}) {
    std::vector<std::atomic<int>> hits(1000);
    parallel_for(1000, work, [&](long i) { hits[i]++; });
    for (auto& h : hits) ASSERT_EQ(h.load(), 1);
  }
}

TEST(Parallel, ChunksCoverTheRangeWithoutOverlap) {
  set_num_threads(2);
  const long n = 10000;
  std::vector<std::atomic<int>> hits(n);
  parallel_chunks(n, 100, [&](long begin, long end) {
    ASSERT_LT(begin, end);
    for (long i = begin; i < end; ++i) hits[i]++;
  });
  for (auto& h : hits) ASSERT_EQ(h.load(), 1);
}

TEST(Parallel, ReduceRowsIsDeterministicAndCorrect) {
  set_num_threads(2);
  const long rows = 513;
  const int width = 7;
  auto value = [](long r, int k) { return std::sin(0.37f * r + k) * 1e-3f + (r % 3 == 0 ? 1e3f : 0.0f); };
  auto run = [&] {
    std::vector<float> out(width, 1.0f);
    parallel_reduce_rows(rows, width, out.data(), kParallelGrain * 2, [&](long r, float* partial) {
      for (int k = 0; k < width; ++k) partial[k] += value(r, k);
    });
    return out;
  };
  const std::vector<float> first = run();
  for (int repeat = 0; repeat < 20; ++repeat) ASSERT_EQ(run(), first);
  for (int k = 0; k < width; ++k) {
    double serial = 1.0;
    for (long r = 0; r < rows; ++r) serial += value(r, k);
    EXPECT_NEAR(first[k], serial, 1e-6 * std::abs(serial));
  }
}

TEST(Threading, SetNumThreadsIsObeyed) {
  set_num_threads(1);
  EXPECT_EQ(num_threads(), 1);
  set_num_threads(2);
  EXPECT_EQ(num_threads(), 2);
  EXPECT_GE(default_num_threads(), 1);
}

// scripts/test.sh --tsan passing means something only if TSan sees the threads of our parallel loops:
// iterations that all add into one variable, on two OpenMP threads, must be reported (and end the
// process, halt_on_error=1). Skipped in other builds.
TEST(ParallelDeathTest, ThreadSanitizerReportsARaceBetweenLoopThreads) {
#if !defined(CLLM_TSAN_BUILD)
  GTEST_SKIP() << "not a ThreadSanitizer build";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        set_num_threads(2);
        volatile long sum = 0;
        parallel_for(1000, kParallelGrain * 4, [&](long i) { sum = sum + i; });  // the race
        std::exit(0);  // not reported: a clean exit, and the test fails
      },
      "ThreadSanitizer: data race");
#endif
}

}  // namespace
