// `cllm bench`: throughput of forward passes, KV-cache generation and training steps on this machine.

#include <cstdio>
#include <string>

#include "bench/benchmark.h"
#include "commands.h"
#include "common.h"
#include "interrupt.h"
#include "kernels/gemm.h"
#include "progress_line.h"

namespace cllm::cli {
namespace {

struct BenchOptions {
  ModelShapeOptions shape;
  int vocab = 65;
  int batch = 12;
  int repeats = 5;
  int threads = 0;
  bool no_reference = false;
  std::vector<std::string> jobs;
  bool json = false;
  std::string gemm = "onednn";
  std::string precision = "float32";
};

void run(const BenchOptions& o) {
  bench::BenchSettings s;
  s.model = o.shape.config();
  s.model.vocab_size = o.vocab;
  s.batch = o.batch;
  s.repeats = o.repeats;
  s.threads = resolve_threads(o.threads);
  s.reference = !o.no_reference;
  s.jobs = o.jobs;
  s.precision = o.precision;
  kernels::set_gemm_backend(*kernels::parse_gemm_backend(o.gemm));  // CLI11 checked the name
  install_interrupt_handler();
  ProgressLine progress(1.0);
  const auto report = bench::run_benchmarks(s, [&](const std::string& job, int run, int runs) {
    if (!o.json) progress.update(run, runs, job);
    return !interrupted();
  });
  progress.finish();
  const auto* fast = report.job("train_step");
  const auto* ref = report.job("reference");
  const double speedup = fast && ref ? fast->tokens_per_second() / ref->tokens_per_second() : 0;
  if (o.json) {
    nlohmann::json jobs = nlohmann::json::array();
    for (const auto& j : report.jobs)
      jobs.push_back({{"name", j.name},
                      {"description", j.description},
                      {"median_seconds", j.median_seconds},
                      {"seconds", j.seconds},
                      {"tokens_per_second", j.tokens_per_second()},
                      {"tokens_per_second_min", j.min_tokens_per_second()},
                      {"tokens_per_second_max", j.max_tokens_per_second()},
                      {"gflops", j.gflops()},
                      {"share_of_peak", j.gflops() / report.peak.gflops},
                      {"bytes_per_run", j.bytes_per_run},
                      {"share_of_bandwidth_bound", report.bandwidth_share(j)}});
    nlohmann::json out = {{"cpu", report.cpu},
                          {"threads", s.threads},
                          {"model", s.model.to_json()},
                          {"parameters", s.model.parameter_count()},
                          {"batch", s.batch},
                          {"gemm", o.gemm},
                          {"precision", o.precision},
                          {"peak_gflops", report.peak.gflops},
                          {"peak_isa", report.peak.isa},
                          {"jobs", jobs},
                          {"peak_rss_kb", report.peak_rss_kb},
                          {"read_gbs", report.read_gbs},
                          {"decode_working_set_bytes", report.decode_working_set_bytes}};
    if (speedup > 0) out["train_step_speedup_over_reference"] = speedup;
    print_json(out);
    return;
  }
  const ModelConfig& c = s.model;
  std::printf(
      "model: %d layers, width %d, %d heads, block %d, vocab %d, %s (%s parameters); batch %d; %d threads; "
      "matrix products: %s, %s\n",
      c.n_layer, c.n_embd, c.n_head, c.block_size, c.vocab_size, describe_options(c).c_str(),
      group_thousands(c.parameter_count()).c_str(), s.batch, s.threads, o.gemm.c_str(), o.precision.c_str());
  std::printf("cpu: %s; measured float32 peak %.1f GFLOP/s (%s, %d threads)\n\n", report.cpu.c_str(),
              report.peak.gflops, report.peak.isa.c_str(), s.threads);
  std::printf("%-11s %11s %13s %19s %9s %7s  %s\n", "job", "median", "tokens/s", "(min - max)", "GFLOP/s",
              "% peak", "what");
  for (const auto& j : report.jobs) {
    const std::string range = "(" + group_thousands(j.min_tokens_per_second()) + " - " +
                              group_thousands(j.max_tokens_per_second()) + ")";
    std::printf("%-11s %9.2f ms %13s %19s %9.1f %6.1f%%  %s (%zu runs)\n", j.name.c_str(),
                j.median_seconds * 1e3, group_thousands(j.tokens_per_second()).c_str(), range.c_str(),
                j.gflops(), 100 * j.gflops() / report.peak.gflops, j.description.c_str(), j.seconds.size());
  }
  if (const auto* g = report.job("generate"); g && report.read_gbs > 0)
    std::printf(
        "\ngenerate reads %.1f MB per token on average (weights once, keys and values of the context) = %.1f "
        "GB/s: %.0f%% of the read bandwidth measured for its products on %d thread%s from its %.1f MB "
        "working set (%.1f GB/s)\n",
        g->bytes_per_run / g->tokens_per_run / 1e6, g->bytes_per_run / g->median_seconds / 1e9,
        100 * report.bandwidth_share(*g), report.settings.threads, report.settings.threads == 1 ? "" : "s",
        report.decode_working_set_bytes / 1e6, report.read_gbs);
  if (speedup > 0) std::printf("\ntraining tokens/s of the fast path: %.1fx the reference path's\n", speedup);
  std::printf("peak RSS: %.1f MB\n", report.peak_rss_kb / 1024.0);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto o = std::make_shared<BenchOptions>();
  CLI::App* cmd =
      app.add_subcommand("bench", "measure tokens/s and GFLOP/s of inference, generation and training");
  add_model_shape_options(*cmd, o->shape);
  cmd->add_option("--vocab", o->vocab, "vocabulary size")->capture_default_str();
  cmd->add_option("--batch", o->batch, "sequences per batch")->capture_default_str();
  cmd->add_option("--repeats", o->repeats, "timed runs per job (the median is reported)")
      ->capture_default_str();
  add_threads_option(*cmd, o->threads);
  cmd->add_option("--job", o->jobs,
                  "run only this job (repeatable): forward, generate, train_step, reference")
      ->check(CLI::IsMember(bench::job_names()));
  cmd->add_flag("--no-reference", o->no_reference, "skip the (slow) reference-path baseline");
  cmd->add_option("--gemm", o->gemm, "matrix-product backend: onednn (the default everywhere) or openblas")
      ->check(CLI::IsMember({"onednn", "openblas"}))
      ->capture_default_str();
  cmd->add_option("--precision", o->precision,
                  "products of the forward and train_step jobs: float32, or bf16 (needs AVX512_BF16 or AMX)")
      ->check(CLI::IsMember(kernels::matmul_precision_names()))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "print one JSON object");
  cmd->callback([o] { run(*o); });
}

}  // namespace cllm::cli
