#include "train/batch_shards.h"

#include <omp.h>

#include <algorithm>
#include <exception>

#include "kernels/gemm.h"
#include "kernels/parallel.h"
#include "kernels/threading.h"
#include "util/error.h"

namespace cllm {
namespace {

// Shard k of n over B sequences: [first, first + count). Sizes differ by at most one sequence.
struct Rows {
  int first, count;
};
Rows shard_rows(int B, int n, int k) {
  const auto first = static_cast<int>(static_cast<long>(B) * k / n);
  return {first, static_cast<int>(static_cast<long>(B) * (k + 1) / n) - first};
}

}  // namespace

BatchShards::BatchShards(Gpt& model, int shards) : model_(model) {
  require(shards >= 1, "the shard count must be at least 1, got " + std::to_string(shards));
  workspaces_.resize(static_cast<size_t>(shards - 1));
  gradients_.resize(static_cast<size_t>(shards - 1));
}

int BatchShards::shards_for(int batch_size) const {
  return std::max(1, std::min(shards(), batch_size));
}

template <typename Body>
void BatchShards::run(const Batch& b, Body body) {
  const int n = shards_for(b.batch_size);
  auto shard = [&](int k) {
    const Rows r = shard_rows(b.batch_size, n, k);
    body(k, k == 0 ? nullptr : &workspaces_[k - 1], static_cast<long>(r.first) * b.block_size, r.count);
  };
  if (n == 1) return shard(0);
  std::vector<std::exception_ptr> errors(n);
  const kernels::MatmulPrecision precision = kernels::matmul_precision();
  const int threads = std::min(n, kernels::num_threads());
#pragma omp parallel for num_threads(threads) schedule(static, 1)
  for (int k = 0; k < n; ++k) {
    try {
      const kernels::MatmulPrecisionScope scope(precision);  // the setting is per thread
      shard(k);
    } catch (...) {
      errors[k] = std::current_exception();
    }
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
}

double BatchShards::train(const Batch& b, float loss_scale, Gradients gradients) {
  const int n = shards_for(b.batch_size);
  std::vector<double> losses(n);
  run(b, [&](int k, Gpt::Workspace* ws, long offset, int count) {
    const int32_t* x = b.inputs.data() + offset;
    const int32_t* y = b.targets.data() + offset;
    // The batch's mean loss is the shards' mean losses weighted by their share of the sequences.
    const float share = static_cast<float>(count) / static_cast<float>(b.batch_size);
    if (!ws) {
      if (gradients == Gradients::replace) model_.zero_gradients();
      losses[k] = model_.forward(x, y, count, b.block_size);
      model_.backward(loss_scale * share);
      return;
    }
    std::vector<float>& g = gradients_[k - 1];
    g.assign(model_.parameters().size(), 0.0f);
    losses[k] = model_.forward(*ws, x, y, count, b.block_size);
    model_.backward(*ws, g, loss_scale * share);
  });
  float* total = model_.gradients().data();
  for (int k = 1; k < n; ++k) {
    const float* g = gradients_[k - 1].data();
    kernels::parallel_chunks(static_cast<long>(model_.gradients().size()), 1, [&](long begin, long end) {
      for (long i = begin; i < end; ++i) total[i] += g[i];
    });
  }
  double loss = 0.0;
  for (int k = 0; k < n; ++k) loss += losses[k] * shard_rows(b.batch_size, n, k).count;
  return loss / b.batch_size;
}

double BatchShards::loss_sum(const Batch& b) {
  std::vector<double> sums(shards_for(b.batch_size), 0.0);
  run(b, [&](int k, Gpt::Workspace* ws, long offset, int count) {
    const int32_t* x = b.inputs.data() + offset;
    const int32_t* y = b.targets.data() + offset;
    if (ws)
      model_.forward(*ws, x, y, count, b.block_size);
    else
      model_.forward(x, y, count, b.block_size);
    for (float l : ws ? ws->token_losses() : model_.token_losses()) sums[k] += l;
  });
  double total = 0.0;
  for (double s : sums) total += s;
  return total;
}

size_t BatchShards::memory_bytes() const {
  size_t bytes = 0;
  for (const auto& w : workspaces_) bytes += w.bytes();
  for (const auto& g : gradients_) bytes += g.capacity() * sizeof(float);
  return bytes;
}

size_t BatchShards::extra_memory_bytes(const ModelConfig& config, int B, int T, int shards) {
  const int n = std::max(1, std::min(shards, B));
  if (n == 1) return 0;
  const TransformerGraph graph(validated(config));
  size_t sharded = 0;
  for (int k = 0; k < n; ++k) sharded += Gpt::workspace_bytes(graph, shard_rows(B, n, k).count, T);
  const size_t single = Gpt::workspace_bytes(graph, B, T);
  const size_t gradients = static_cast<size_t>(n - 1) * graph.parameters().total() * sizeof(float);
  return (sharded > single ? sharded - single : 0) + gradients;
}

}  // namespace cllm
