#pragma once
// How well the model predicts each token: the mean cross-entropy (nats) over every position whose TARGET
// is that token id, across the deterministic evaluation windows of a token sequence (data/dataset.h
// evaluation_batches: non-overlapping windows of `block` tokens, `batch` rows per forward pass, and with
// max_batches > 0 only that many batches spread evenly). Colours the embedding scene by "per-token loss".
//
// Runs forward passes on `model` (its activations are overwritten; parameters are not touched).
// Throws cllm::Error when the sequence is shorter than block + 1 or a size is not positive.

#include <cstdint>
#include <span>
#include <vector>

namespace cllm {

class Gpt;

// [vocab_size] entries; NaN for ids never seen as a target.
std::vector<double> per_token_loss(Gpt& model, std::span<const int32_t> tokens, int block, int max_batches,
                                   int batch);

}  // namespace cllm
