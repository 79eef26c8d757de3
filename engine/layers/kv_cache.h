#pragma once
// Keys and values of the positions decoded so far, per layer and sequence, and the clock class of each
// position's token: what lets a decoding step cost one position's work instead of re-running the whole
// context.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "util/block_pool.h"

namespace cllm::layers {

// One layer's cache. Keys are channel-major, [max_sequences, C, max_positions]: each channel's history is
// contiguous, so a query meets a whole vector of positions per multiply-add and needs no horizontal sums
// (with values read a row at a time, attention's share of a `small` decoding step fell from 12% to 10% of
// the samples; the step itself is bound by reading the weights). Values are
// [max_sequences, max_positions, C]. For the Fourier mixer `k` holds each sequence's past inputs instead
// (channel-major too) and `kernel` [C, max_positions] its kernel.
template <typename S>
struct KvLayer {
  S* k = nullptr;
  S* v = nullptr;
  S* kernel = nullptr;
  int max_positions = 0;

  // Writes row[C] as position `position` of sequence s's channel-major history in `k`.
  void put_channel_major(int s, int position, const S* row, int C) const {
    S* history = k + static_cast<long>(s) * C * max_positions + position;
    for (int c = 0; c < C; ++c) history[static_cast<long>(c) * max_positions] = row[c];
  }
};

// Keys, values and kernels share one block from the thread's pool (util/block_pool.h), left
// uninitialised: every position is written before it is read. A decoder is made per generation; taking
// fresh zeroed pages for it each time made 255-token runs of `small` 1.37x slower (vocabulary 65) and
// 1.08-1.11x slower (8,192) in a VM, where every page fault is expensive (ABBA pairs, AMD EPYC).
template <typename S>
class KvCache {
 public:
  // `conv_kernels`: room for the Fourier mixer's kernels (only models that have the mixer need it).
  KvCache(int layers, int max_sequences, int max_positions, int channels, bool conv_kernels)
      : layers_(layers),
        sequences_(max_sequences),
        positions_(max_positions),
        channels_(channels),
        block_(take_pooled_block(
            (2 * size() + (conv_kernels ? static_cast<size_t>(layers) * channels * max_positions : 0)) *
            sizeof(S))),
        k_(reinterpret_cast<S*>(block_.get())),
        v_(k_ + size()),
        kernels_(conv_kernels ? v_ + size() : nullptr),
        classes_(static_cast<size_t>(max_sequences) * max_positions, 0) {}

  KvLayer<S> layer(int l) {
    const size_t offset = static_cast<size_t>(l) * sequences_ * positions_ * channels_;
    return {k_ + offset, v_ + offset,
            kernels_ ? kernels_ + static_cast<size_t>(l) * channels_ * positions_ : nullptr, positions_};
  }
  // The clock class of the token at each cached position, [max_sequences, max_positions].
  uint8_t* classes() { return classes_.data(); }
  long class_stride() const { return positions_; }

  // Sequence s continues from what sequence parents[s] had cached in its first `used` positions
  // (beam search); parents index the `current` sequences before the call.
  void reorder(std::span<const int> parents, int current, int used) {
    const size_t block = static_cast<size_t>(positions_) * channels_;  // one sequence's floats
    scratch_.resize(static_cast<size_t>(current) * block);
    // Copies what sequence `from` has cached into `to`: the first `used` of each of its `runs` runs of
    // `run` floats, `stride` apart (keys: C runs of one position each; values: one run of used x C).
    auto copy_used = [&](const S* from, S* to, int runs, long run, long stride) {
      for (int r = 0; r < runs; ++r) std::copy_n(from + r * stride, run, to + r * stride);
    };
    for (int l = 0; l < layers_; ++l)
      for (S* cache : {k_, v_}) {
        const bool keys = cache == k_;
        const int runs = keys ? channels_ : 1;
        const long run = keys ? used : static_cast<long>(used) * channels_, stride = positions_;
        S* base = cache + static_cast<size_t>(l) * sequences_ * block;
        for (int s = 0; s < current; ++s)
          copy_used(base + s * block, scratch_.data() + s * block, runs, run, stride);
        for (size_t s = 0; s < parents.size(); ++s)
          copy_used(scratch_.data() + parents[s] * block, base + s * block, runs, run, stride);
      }
    const std::vector<uint8_t> classes = classes_;
    for (size_t s = 0; s < parents.size(); ++s)
      std::copy_n(classes.begin() + static_cast<long>(parents[s]) * positions_, used,
                  classes_.begin() + static_cast<long>(s) * positions_);
  }

 private:
  size_t size() const { return static_cast<size_t>(layers_) * sequences_ * positions_ * channels_; }

  int layers_, sequences_, positions_, channels_;
  PooledBlock block_;
  S *k_, *v_, *kernels_;
  std::vector<S> scratch_;
  std::vector<uint8_t> classes_;
};

}  // namespace cllm::layers
