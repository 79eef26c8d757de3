#pragma once
// `cllm bench`: honest throughput of the jobs a user runs, on synthetic tokens.
//   forward      full forward passes (with loss) over batch x block tokens: inference tokens/s
//   generate     KV-cache generation, batch 1, greedy, one block: new tokens/s
//   train_step   forward + backward + clipping + AdamW on batch x block tokens: training tokens/s
//   reference    the plain reference path (float) forward + backward on one sequence: the baseline the
//                fast path is compared with in the same run
// Each job is timed `repeats` times after a warm-up run; the median is reported, with achieved model
// GFLOP/s (bench/flops.h) as a share of the host's measured FMA peak; generation, being bound by reading
// the weights, also as a share of the read bandwidth measured for its working set. Peak RSS is the
// process's.

#include <functional>
#include <string>
#include <vector>

#include "bench/peak_flops.h"
#include "model/model_config.h"

namespace cllm::bench {

struct BenchSettings {
  ModelConfig model;  // vocab_size must be set
  int batch = 12;
  int repeats = 5;
  int threads = 1;
  bool reference = true;              // include the reference baseline (slow: seconds per run)
  std::vector<std::string> jobs;      // run only these (names above); empty: all
  std::string precision = "float32";  // of the forward and train_step jobs' products: "float32" or "bf16"
  bool runs(const std::string& job) const;
};

// The job names, in the order they run.
const std::vector<std::string>& job_names();

struct JobResult {
  std::string name;
  std::string description;
  std::vector<double> seconds;  // every timed run
  double median_seconds = 0;
  double tokens_per_run = 0;
  double flops_per_run = 0;
  double bytes_per_run = 0;  // generate: what decoding must read (bench/flops.h), else 0
  double tokens_per_second() const { return tokens_per_run / median_seconds; }
  // Over the timed runs: the slowest and the fastest.
  double min_tokens_per_second() const;
  double max_tokens_per_second() const;
  double gflops() const { return flops_per_run / median_seconds / 1e9; }
};

struct BenchReport {
  BenchSettings settings;
  PeakFlops peak;
  std::vector<JobResult> jobs;
  long peak_rss_kb = 0;
  // With the generate job: the read bandwidth of decoding's products, on the job's threads, from a working
  // set of its size (weights and a full cache), so bandwidth_share = (bytes the job must read / its
  // time) / read_gbs.
  double read_gbs = 0;
  double decode_working_set_bytes = 0;
  double bandwidth_share(const JobResult& j) const {
    return read_gbs > 0 ? j.bytes_per_run / j.median_seconds / 1e9 / read_gbs : 0;
  }
  std::string cpu;  // model name from /proc/cpuinfo
  const JobResult* job(const std::string& name) const;
};

// progress(job name, run index, runs) before each timed run; return false to cancel (throws cllm::Error).
BenchReport run_benchmarks(const BenchSettings& settings,
                           const std::function<bool(const std::string&, int, int)>& progress = {});

}  // namespace cllm::bench
