#pragma once
// Incremental inference with a key/value cache. Several sequences advance together, one position per
// step (1 sequence for sampling, the beam width for beam search); each position costs one token's
// worth of compute instead of re-running the whole context.
//
// Reads the model's parameters at every step: the caller must not change them while decoding (the
// workbench decodes from a snapshot copy). Not thread-safe; uses the engine's OpenMP threads inside.

#include <cstdint>
#include <span>
#include <vector>

namespace cllm {

class Gpt;

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
  int max_sequences_;
  int sequences_ = 1, position_ = 0;
  std::vector<float> k_cache_, v_cache_;  // [L, S, T_max, C]
  std::vector<float> x_, ln_, qkv_, atty_, proj_, fch_, mlp_, logits_, mean_, rstd_, scores_, reorder_tmp_;
};

}  // namespace cllm
