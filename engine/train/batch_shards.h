#pragma once
// Data parallelism inside one process. A batch is split into shards of whole sequences, run by up to one
// thread each; each thread runs a shard's forward and backward with every op on that thread, into the
// shard's own workspace and gradient buffer, and the shards' gradients are then summed in shard order.
// Splitting the batch instead of each op saves OpenMP's fork and join around every op (about a hundred
// per training step), which cost the small models a third of their two-thread speed. Results depend on
// the shard count, never on the thread count or on which thread ran which shard: with fewer threads than
// shards a thread runs several shards in turn (TrainConfig::shards keeps the count for a whole run).

#include <span>
#include <vector>

#include "data/dataset.h"
#include "model/gpt.h"

namespace cllm {

class BatchShards {
 public:
  // Up to `shards` shards (at least 1); a batch of fewer sequences uses fewer. Shard 0 uses the model's
  // own workspace and gradients.
  BatchShards(Gpt& model, int shards);

  int shards() const { return static_cast<int>(workspaces_.size()) + 1; }
  // The shards a batch of `batch_size` sequences is split into.
  int shards_for(int batch_size) const;

  // Forward and backward of `b` (with targets): adds loss_scale * d(mean loss)/d(parameters) to the
  // model's gradients (Gradients::replace: sets them to it; shard 0's thread zeroes them while the others
  // start, instead of the caller zeroing them alone) and returns the mean loss. The products run at the
  // calling thread's precision.
  enum class Gradients { accumulate, replace };
  double train(const Batch& b, float loss_scale, Gradients gradients = Gradients::accumulate);
  // Forward only: the sum of the batch's token losses.
  double loss_sum(const Batch& b);

  // Memory held by the other shards' workspaces and gradient buffers (shard 0's are the model's).
  size_t memory_bytes() const;
  // Memory the shards add to Gpt::training_memory_bytes(config, B, T): the other shards' gradient
  // buffers and the part of their workspaces the single-workspace estimate does not count.
  static size_t extra_memory_bytes(const ModelConfig& config, int B, int T, int shards);

 private:
  // Runs body(shard, workspace, first row, rows) for every shard on up to min(shards, threads) threads;
  // rethrows the first shard's exception after all have finished.
  template <typename Body>
  void run(const Batch& b, Body body);

  Gpt& model_;
  std::vector<Gpt::Workspace> workspaces_;  // shards 1..n-1
  std::vector<std::vector<float>> gradients_;
};

}  // namespace cllm
