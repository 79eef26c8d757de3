#include "generate/kv_decoder.h"

#include "model/output_check.h"
#include "util/error.h"

namespace cllm {
namespace {

int checked_sequences(int max_sequences) {
  require(max_sequences >= 1, "the decoder needs at least one sequence");
  return max_sequences;
}

}  // namespace

KvDecoder::KvDecoder(const Gpt& model, int max_sequences)
    : model_(model), state_(model, checked_sequences(max_sequences)) {}

void KvDecoder::reset(int sequences) {
  require(sequences >= 1 && sequences <= state_.max_sequences,
          "sequence count " + std::to_string(sequences) + " is outside [1, " +
              std::to_string(state_.max_sequences) + "]");
  sequences_ = sequences;
  position_ = 0;
}

bool KvDecoder::full() const {
  return position_ >= model_.config().block_size;
}

std::span<const float> KvDecoder::step(std::span<const int32_t> tokens) {
  require(static_cast<int>(tokens.size()) == sequences_, "expected one token per sequence");
  const auto logits = model_.decode(state_, tokens, position_);
  require_finite_output(logits, model_.parameters(),
                        "the model's output at position " + std::to_string(position_ + 1));
  ++position_;
  return logits;
}

std::span<const float> KvDecoder::prefill(const std::vector<std::span<const int32_t>>& histories) {
  require(!histories.empty() && !histories[0].empty(), "nothing to feed: the prompt is empty");
  const size_t length = histories[0].size();
  for (const auto& h : histories) require(h.size() == length, "internal: prefill histories differ in length");
  require(length <= static_cast<size_t>(model_.config().block_size),
          "internal: prefill longer than the context");
  reset(static_cast<int>(histories.size()));
  std::vector<int32_t> column(histories.size());
  std::span<const float> logits;
  for (size_t t = 0; t < length; ++t) {
    for (size_t s = 0; s < histories.size(); ++s) column[s] = histories[s][t];
    logits = step(column);
  }
  return logits;
}

void KvDecoder::reorder(std::span<const int> parents) {
  const int count = static_cast<int>(parents.size());
  require(count >= 1 && count <= state_.max_sequences, "beam count " + std::to_string(count) +
                                                           " is outside [1, " +
                                                           std::to_string(state_.max_sequences) + "]");
  for (int p : parents)
    require(p >= 0 && p < sequences_, "beam parent index " + std::to_string(p) + " out of range");
  state_.cache.reorder(parents, sequences_, position_);
  sequences_ = count;
}

}  // namespace cllm
