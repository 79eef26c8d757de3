#include "bench/benchmark.h"

#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "bench/flops.h"
#include "bench/read_bandwidth.h"
#include "generate/generator.h"
#include "kernels/gemm.h"
#include "kernels/threading.h"
#include "model/gpt.h"
#include "text/tokenizer.h"
#include "text/utf8.h"
#include "train/batch_shards.h"
#include "train/trainer.h"
#include "util/error.h"
#include "util/rng.h"

namespace cllm::bench {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

template <typename Fn>
JobResult time_job(const std::string& name, const std::string& description, int repeats, double tokens,
                   double flops, const std::function<bool(const std::string&, int, int)>& progress, Fn&& fn) {
  JobResult r{name, description, {}, 0, tokens, flops};
  fn();  // warm-up: caches, page faults, thread start-up
  for (int i = 0; i < repeats; ++i) {
    if (progress && !progress(name, i, repeats)) throw Error("benchmark cancelled");
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    r.seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::vector<double> sorted = r.seconds;
  std::sort(sorted.begin(), sorted.end());
  const size_t n = sorted.size();
  r.median_seconds = n % 2 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  return r;
}

}  // namespace

double JobResult::min_tokens_per_second() const {
  return seconds.empty() ? 0 : tokens_per_run / *std::max_element(seconds.begin(), seconds.end());
}

double JobResult::max_tokens_per_second() const {
  return seconds.empty() ? 0 : tokens_per_run / *std::min_element(seconds.begin(), seconds.end());
}

const std::vector<std::string>& job_names() {
  static const std::vector<std::string> names = {"forward", "generate", "train_step", "reference"};
  return names;
}

bool BenchSettings::runs(const std::string& job) const {
  if (job == "reference" && !reference) return false;
  return jobs.empty() || std::find(jobs.begin(), jobs.end(), job) != jobs.end();
}

const JobResult* BenchReport::job(const std::string& name) const {
  for (const auto& j : jobs)
    if (j.name == name) return &j;
  return nullptr;
}

BenchReport run_benchmarks(const BenchSettings& s,
                           const std::function<bool(const std::string&, int, int)>& progress) {
  s.model.validate();
  require(s.batch >= 1, "batch must be at least 1");
  require(s.repeats >= 1 && s.repeats <= 1000, "repeats must be between 1 and 1000");
  for (const auto& j : s.jobs)
    require(std::find(job_names().begin(), job_names().end(), j) != job_names().end(),
            "unknown benchmark job '" + j + "'");
  kernels::set_num_threads(s.threads);
  BenchReport report;
  report.settings = s;
  report.cpu = cpu_model();
  report.peak = measure_peak_flops(s.threads);

  const auto precision = kernels::parse_matmul_precision(s.precision);
  kernels::require_supported(precision);  // before any job runs
  const ModelConfig& c = s.model;
  const int B = s.batch, T = c.block_size, V = c.vocab_size;
  Rng rng(42);
  Gpt model(c);
  model.initialize(rng);
  std::vector<int32_t> data(std::max(100000, 4 * B * T));
  for (auto& t : data) t = static_cast<int32_t>(rng.below(V));
  const double seq_flops = forward_flops_per_sequence(c, T);

  if (s.runs("forward")) {
    // As evaluation runs it: the batch split into one shard per thread.
    Batch batch;
    batch.batch_size = B, batch.block_size = T;
    for (int i = 0; i < B * T; ++i) batch.inputs.push_back(data[i]), batch.targets.push_back(data[i + 1]);
    BatchShards shards(model, s.threads);
    report.jobs.push_back(time_job(
        "forward", "full forward pass with loss, batch " + std::to_string(B) + " x " + std::to_string(T),
        s.repeats, double(B) * T, B * seq_flops, progress, [&] {
          const kernels::MatmulPrecisionScope scope(precision);
          shards.loss_sum(batch);
        }));
  }

  // Greedy generation of one block from a one-token prompt through the real generator (sampler and
  // streaming text included). A char tokenizer over V distinct characters decodes every id.
  std::string alphabet;
  for (int i = 0; i < V; ++i) alphabet += utf8::encode(0x100 + i);
  const auto tokenizer = train_tokenizer(TokenizerSpec{"char", 0, 1}, alphabet);
  GenerationSettings g;
  g.sampling.temperature = 0;
  g.max_tokens = T - 1;
  g.top_alternatives = 0;
  const std::vector<int32_t> prompt = {data[0]};
  // The i-th forward pass attends to i + 1 positions: the prompt's, then one per new token but the last.
  double gen_flops = 0, gen_bytes = 0;
  for (int i = 0; i < g.max_tokens; ++i) {
    gen_flops += forward_flops_per_token(c, i + 1);
    gen_bytes += decode_bytes_per_token(c, i + 1);
  }
  if (s.runs("generate")) {
    report.jobs.push_back(time_job(
        "generate", "KV-cache generation, batch 1, " + std::to_string(g.max_tokens) + " tokens", s.repeats,
        g.max_tokens, gen_flops, progress, [&] { generate(model, *tokenizer, prompt, g); }));
    report.jobs.back().bytes_per_run = gen_bytes;
    // The bound: what the same products on the same threads read from a working set of this size.
    report.decode_working_set_bytes = decode_bytes_per_token(c, T);
    report.read_gbs =
        measure_read_bandwidth(static_cast<size_t>(report.decode_working_set_bytes), kernels::num_threads());
  }

  if (s.runs("train_step")) {
    TrainConfig tc;
    tc.batch_size = B;
    tc.steps = 1 << 30;
    tc.eval_batches = 1;
    tc.precision = s.precision;
    Trainer trainer(model, tc, data, std::span<const int32_t>(data).first(2 * T + 2));
    report.jobs.push_back(time_job(
        "train_step", "forward + backward + AdamW, batch " + std::to_string(B) + " x " + std::to_string(T),
        s.repeats, double(B) * T, 3 * B * seq_flops, progress, [&] { trainer.step(); }));
  }

  if (s.runs("reference")) {
    ReferenceTransformer<float> ref(c);
    std::copy(model.parameters().begin(), model.parameters().end(), ref.parameters().begin());
    const std::vector<int32_t> x(data.begin(), data.begin() + T), y(data.begin() + 1, data.begin() + T + 1);
    const int runs = std::max(1, std::min(s.repeats, 3));
    report.jobs.push_back(
        time_job("reference", "reference path (float) forward + backward, batch 1 x " + std::to_string(T),
                 runs, T, 3 * seq_flops, progress, [&] {
                   ref.forward(x.data(), y.data(), 1, T);
                   ref.backward();
                 }));
  }
  struct rusage usage {};
  getrusage(RUSAGE_SELF, &usage);
  report.peak_rss_kb = usage.ru_maxrss;
  return report;
}

}  // namespace cllm::bench
