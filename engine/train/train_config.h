#pragma once
// Every training hyperparameter, with defaults, validation and JSON form (stored in checkpoints).

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "train/adamw.h"
#include "train/lr_schedule.h"

namespace cllm {

struct TrainConfig {
  int batch_size = 12;   // sequences per micro-batch (each block_size tokens long)
  int steps = 2000;      // optimizer steps
  double lr = 1e-3;      // peak learning rate
  double min_lr = 1e-4;  // end of the cosine decay
  int warmup_steps = 100;
  std::string schedule = "cosine";  // "cosine" or "constant"
  double weight_decay = 0.1;
  double beta1 = 0.9, beta2 = 0.99, eps = 1e-8;
  double grad_clip = 1.0;            // max global gradient norm; 0 turns clipping off
  int grad_accum = 1;                // micro-batches per optimizer step
  int eval_interval = 250;           // steps between evaluations; 0 = only at the end
  int eval_batches = 20;             // validation batches per evaluation; 0 = the whole validation split
  uint64_t seed = 1337;              // data order (and initialisation, for a new model)
  double validation_fraction = 0.1;  // the last part of the corpus
  // Precision of the training steps' matrix products: "float32" or "bf16" (operands rounded to
  // bfloat16, float32 accumulation; weights, gradients, optimizer state and evaluation stay float32).
  std::string precision = "float32";
  // Shards each micro-batch is split into (train/batch_shards.h): the results depend on this count, not
  // on how many threads run the shards, so a run keeps it for good. 0 = shard_count() when the run starts
  // (the trainer stores the resolved count, and checkpoints keep it).
  int shards = 0;

  // Throws cllm::Error naming the first impossible value (e.g. "learning rate must be > 0, got -1").
  void validate() const;
  LrSchedule lr_schedule() const;
  AdamWSettings adamw() const;
  // `shards`, or when it is 0 one per physical core of this machine (kernels::default_num_threads()).
  int shard_count() const;
  int64_t tokens_per_step(int block_size) const { return int64_t(batch_size) * block_size * grad_accum; }

  nlohmann::json to_json() const;
  static TrainConfig from_json(const nlohmann::json& j);
  bool operator==(const TrainConfig&) const = default;
};

}  // namespace cllm
