// A tiny benchmark run reports every job with consistent, positive measurements and can be cancelled.
// (Speed itself is measured by `cllm bench`, never asserted here.)
#include <gtest/gtest.h>

#include <algorithm>

#include "bench/benchmark.h"
#include "util/error.h"

namespace {

cllm::bench::BenchSettings tiny_settings() {
  cllm::bench::BenchSettings s;
  s.model.vocab_size = 32;
  s.model.n_embd = 16;
  s.model.n_layer = 1;
  s.model.n_head = 2;
  s.model.block_size = 8;
  s.batch = 2;
  s.repeats = 3;
  s.threads = 1;
  return s;
}

TEST(Benchmark, ReportsEveryJobWithItsMedian) {
  const auto report = cllm::bench::run_benchmarks(tiny_settings());
  for (const char* name : {"forward", "generate", "train_step", "reference"}) {
    const auto* job = report.job(name);
    ASSERT_NE(job, nullptr) << name;
    ASSERT_EQ(job->seconds.size(), 3u);
    auto sorted = job->seconds;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_DOUBLE_EQ(job->median_seconds, sorted[1]) << name;
    EXPECT_GT(job->tokens_per_run, 0) << name;
    EXPECT_GT(job->flops_per_run, 0) << name;
  }
  EXPECT_EQ(report.job("forward")->tokens_per_run, 2 * 8);
  EXPECT_GT(report.peak.gflops, 0);
  EXPECT_GT(report.peak_rss_kb, 0);
  // Generation is also measured against the bandwidth bound of its working set.
  const auto* g = report.job("generate");
  EXPECT_GT(g->bytes_per_run, 0);
  EXPECT_EQ(report.job("forward")->bytes_per_run, 0);
  EXPECT_GT(report.read_gbs, 0);
  EXPECT_GT(report.decode_working_set_bytes, 0);
  EXPECT_GT(report.bandwidth_share(*g), 0);
}

// --job runs only the named jobs; the bandwidth is measured only with generate.
TEST(Benchmark, RunsOnlyTheChosenJobs) {
  auto s = tiny_settings();
  s.jobs = {"train_step"};
  const auto report = cllm::bench::run_benchmarks(s);
  ASSERT_EQ(report.jobs.size(), 1u);
  EXPECT_EQ(report.jobs[0].name, "train_step");
  EXPECT_EQ(report.read_gbs, 0);
  s.jobs = {"decode"};
  EXPECT_THROW(cllm::bench::run_benchmarks(s), cllm::Error);
}

TEST(Benchmark, ProgressCanCancel) {
  int calls = 0;
  EXPECT_THROW(
      cllm::bench::run_benchmarks(tiny_settings(), [&](const std::string&, int, int) { return ++calls < 2; }),
      cllm::Error);
  EXPECT_EQ(calls, 2);
}

}  // namespace
