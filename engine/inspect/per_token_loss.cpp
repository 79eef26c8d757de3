#include "inspect/per_token_loss.h"

#include <limits>
#include <string>

#include "data/dataset.h"
#include "model/gpt.h"
#include "util/error.h"

namespace cllm {

std::vector<double> per_token_loss(Gpt& model, std::span<const int32_t> tokens, int block, int max_batches,
                                   int batch) {
  require(block <= model.config().block_size, "per-token loss: block " + std::to_string(block) +
                                                  " is longer than the model's context of " +
                                                  std::to_string(model.config().block_size) + " tokens");
  const auto vocab = static_cast<size_t>(model.config().vocab_size);
  std::vector<double> sum(vocab, 0.0);
  std::vector<int64_t> count(vocab, 0);
  for (const Batch& b : evaluation_batches(tokens, batch, block, max_batches, "evaluation")) {
    model.forward(b.inputs.data(), b.targets.data(), b.batch_size, b.block_size);
    const std::span<const float> losses = model.token_losses();
    for (size_t i = 0; i < b.targets.size(); ++i) {
      const auto target = static_cast<size_t>(b.targets[i]);
      sum[target] += losses[i];
      ++count[target];
    }
  }
  for (size_t id = 0; id < vocab; ++id)
    sum[id] =
        count[id] > 0 ? sum[id] / static_cast<double>(count[id]) : std::numeric_limits<double>::quiet_NaN();
  return sum;
}

}  // namespace cllm
