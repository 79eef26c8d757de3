#pragma once
// Incremental inference with a key/value cache: the model's decode pass (Transformer::decode) plus the
// bookkeeping of positions. Several sequences advance together, one position per step (1 sequence for
// sampling, the beam width for beam search); each position costs one token's worth of compute instead
// of re-running the whole context.
//
// Reads the model's parameters at every step: the caller must not change them while decoding (the
// workbench decodes from a snapshot copy). Not thread-safe; uses the engine's OpenMP threads inside.

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/gpt.h"

namespace cllm {

class KvDecoder {
 public:
  KvDecoder(const Gpt& model, int max_sequences);

  // Empties the cache and sets how many sequences advance together (1..max_sequences).
  void reset(int sequences);
  int sequences() const { return sequences_; }
  // Positions consumed so far; at most block_size.
  int position() const { return position_; }
  bool full() const;

  // Feeds tokens[s] to sequence s at the current position, returns logits [sequences, V] for the next
  // token. Throws cllm::Error when the cache is full or an id is outside the vocabulary.
  std::span<const float> step(std::span<const int32_t> tokens);

  // Resets to histories.size() sequences and feeds each its tokens (all histories of one length, at most
  // block_size); returns the logits after the last position. Used for prompts and to slide the window.
  std::span<const float> prefill(const std::vector<std::span<const int32_t>>& histories);

  // Beam search: afterwards there are parents.size() sequences, and sequence s continues from what
  // sequence parents[s] had cached (parents index the sequences before the call).
  void reorder(std::span<const int> parents);

 private:
  const Gpt& model_;
  Gpt::DecodeState state_;
  int sequences_ = 1, position_ = 0;
};

}  // namespace cllm
