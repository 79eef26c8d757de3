#pragma once
// Model FLOP counts, the convention of PaLM's MFU (Chowdhery et al. 2022, appendix B): 2 FLOPs per
// multiply-add of every weight matrix (12 C^2 per attention block, 9 C^2 per Fourier block, plus the V x C
// head), plus attention's scores and weighted values, 4 C per attended position per block (and 2 NH for
// the clock-class bias), or the Fourier mixer's FFTs (5 n log2 n + 3 n per channel, n = 2T; 2 C per
// attended position when decoding by direct sums). Training counts 3x the forward pass (backward = 2x).
// Embedding lookups, norms, activations and the Fourier kernel's transcendentals are not counted. These
// are the FLOPs the model needs, not what a kernel happens to execute (our attention also computes the
// masked half).

#include "model/model_config.h"

namespace cllm::bench {

// Forward FLOPs for one token that attends to `attended` positions (itself and those before it).
double forward_flops_per_token(const ModelConfig& c, double attended);

// Forward FLOPs for a whole sequence of T tokens (position t attends to t+1 positions).
double forward_flops_per_sequence(const ModelConfig& c, int T);

// Bytes a batch-1 decoding step must read for a token that attends to `attended` positions: every weight
// matrix once (4 bytes per multiply-add counted above: the V x C head and 12 C^2 or 9 C^2 per block) and
// the cache, 2 C floats per attended position per block (keys and values; the Fourier mixer's past inputs
// and kernel). Biases, norms and one positional row are left out (under 1% for our shapes). Divided by a
// measured read bandwidth this is the lower bound of a step's time when the weights do not stay in L1/L2.
double decode_bytes_per_token(const ModelConfig& c, double attended);

}  // namespace cllm::bench
