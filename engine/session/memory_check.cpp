#include "session/memory_check.h"

#include <cmath>
#include <cstdio>
#include <limits>

#include "model/gpt.h"
#include "train/batch_shards.h"
#include "train/train_config.h"
#include "util/error.h"
#include "util/system_memory.h"

namespace cllm {
namespace {

// "1.62 billion", "810 thousand": a parameter count as a message reads it.
std::string describe_count(int64_t n) {
  char buf[48];
  if (n >= 1'000'000'000)
    std::snprintf(buf, sizeof buf, "%.2f billion", static_cast<double>(n) / 1e9);
  else if (n >= 1'000'000)
    std::snprintf(buf, sizeof buf, "%.1f million", static_cast<double>(n) / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(n));
  return buf;
}

}  // namespace

double MemoryCheck::share() const {
  if (!available_bytes || *available_bytes == 0) return std::numeric_limits<double>::quiet_NaN();
  return static_cast<double>(needed_bytes) / static_cast<double>(*available_bytes);
}

std::string MemoryCheck::message() const {
  const std::string needs = "training this model needs " + format_gib(needed_bytes) + " of memory (" +
                            format_gib(model_bytes) + " for the weights, gradients and AdamW state of " +
                            describe_count(parameters) + " parameters, " + format_gib(activation_bytes) +
                            " of activations for batch " + std::to_string(batch_size) + " x block " +
                            std::to_string(block_size) + ")";
  if (!available_bytes) return needs + "; the available memory could not be read";
  const std::string percent = std::to_string(static_cast<int>(std::lround(100 * share()))) + "%";
  switch (verdict) {
    case MemoryVerdict::TooLarge:
      return needs + " but only " + format_gib(*available_bytes) +
             " is available; use a smaller model (width, layers), batch size or block size";
    case MemoryVerdict::Tight:
      return needs + ", " + percent + " of the " + format_gib(*available_bytes) +
             " available; the machine may swap or run out if other programs grow; a smaller model, batch "
             "size "
             "or block size leaves room";
    case MemoryVerdict::Fits:
      break;
  }
  return needs + ", " + percent + " of the " + format_gib(*available_bytes) + " available";
}

MemoryCheck check_training_memory(const ModelConfig& model, int batch_size, size_t token_count,
                                  std::optional<uint64_t> available_bytes, int shards) {
  require(batch_size >= 1, "batch size must be at least 1, got " + std::to_string(batch_size));
  MemoryCheck c;
  c.parameters = validated(model).parameter_count();
  c.batch_size = batch_size;
  c.block_size = model.block_size;
  const auto P = static_cast<uint64_t>(c.parameters);
  const uint64_t weights_and_moments =
      4 * P * sizeof(float);  // what training_memory_bytes adds to activations
  TrainConfig train;
  train.shards = shards;
  c.activation_bytes =
      Gpt::training_memory_bytes(model, batch_size, model.block_size) - weights_and_moments +
      BatchShards::extra_memory_bytes(model, batch_size, model.block_size, train.shard_count());
  c.model_bytes = weights_and_moments + P;  // + AdamW's decay mask, one byte per parameter
  const uint64_t batch_tokens = static_cast<uint64_t>(batch_size) * static_cast<uint64_t>(model.block_size);
  // int32 ids: splits (4 per token) + evaluation inputs and targets (at most 4 more) + the training batch.
  c.token_bytes = 8 * static_cast<uint64_t>(token_count) + 8 * batch_tokens;
  c.needed_bytes = c.model_bytes + c.activation_bytes + c.token_bytes;
  c.available_bytes = available_bytes;
  if (available_bytes) {
    const auto available = static_cast<double>(*available_bytes);
    if (static_cast<double>(c.needed_bytes) > available)
      c.verdict = MemoryVerdict::TooLarge;
    else if (static_cast<double>(c.needed_bytes) > kTightMemoryShare * available)
      c.verdict = MemoryVerdict::Tight;
  }
  return c;
}

MemoryCheck check_training_memory(const ModelConfig& model, int batch_size, size_t token_count) {
  return check_training_memory(model, batch_size, token_count, available_memory_bytes());
}

void require_memory(const MemoryCheck& check) {
  require(check.verdict != MemoryVerdict::TooLarge, check.message());
}

}  // namespace cllm
