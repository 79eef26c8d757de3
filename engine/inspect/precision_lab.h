#pragma once
// The precision lab: does float32 hurt this model? Measured, not argued. One batch goes through the same
// forward and backward pass three times: the fast float32 model that training runs (Gpt), the reference
// model in double, and the reference model in 50 significant digits (Boost's cpp_bin_float_50), all from
// the same float32 parameters and tokens. Every activation of the model's activation table (minus the
// backward scratch, which is reused from block to block) and every parameter gradient is compared with
// the 50-digit result:
//
//   relative error = max_i |x_i - ref_i| / max_i |ref_i|     (0 when both are all zero)
//
// for float32, for double, and for bfloat16 rounding: each 50-digit value rounded to bfloat16 (8
// significant bits, float32's exponent range, round to nearest even), i.e. what merely storing the
// tensor in bf16 costs. A finite-difference check in 50 digits verifies the 50-digit backward pass, so
// the reference is known to be right before anything is measured against it.
//
// Plain C++ (no Qt) so `cllm precision` and the workbench show the same report. The 50-digit pass is
// slow (about 130 ns per multiply-add on a 2020s x86 core, hundreds of times double): keep batches small.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/model_config.h"

namespace cllm {

struct Checkpoint;
struct Corpus;

// The defaults keep the small preset (128 wide, 4 layers) under about 35 s on one core: its 50-digit
// forward and backward cost about 0.3 s per token, and each checked parameter two 50-digit forward passes
// of the check window (about 0.1 s per token). The engine's threads (kernels::set_num_threads) share
// the checks.
struct PrecisionSettings {
  int batch = 1;                // sequences
  int tokens_per_sequence = 0;  // T; 0 = min(block size, kDefaultPrecisionTokens)
  // The finite-difference check's window: the first sequence's first tokens. 2 is the fewest with a real
  // attention pattern (at 1 token the softmax is constant and the query and key gradients vanish).
  int check_tokens = 2;
  // Parameters checked per tensor, at evenly spaced ranks of |gradient| from the largest to the smallest
  // nonzero (1: the largest; 3: largest, median, smallest).
  int checks_per_tensor = 1;
  std::string check_step = "1e-20";  // h of the central differences, in 50 digits
};

// The default T: 32 tokens of the small preset cost about 9 s in 50 digits, its whole 64-token block twice
// that.
inline constexpr int kDefaultPrecisionTokens = 32;

// One activation or parameter-gradient tensor.
struct TensorPrecision {
  std::string name;
  size_t size = 0;
  double max_abs = 0;  // max |ref_i| of the 50-digit values
  // Relative errors against the 50-digit values (definition above).
  double float32 = 0, float64 = 0, bfloat16 = 0;
};

struct LossPrecision {
  double float32 = 0, float64 = 0;
  std::string fifty;                            // the 50-digit loss, all digits
  double float32_error = 0, float64_error = 0;  // |loss - ref| / |ref|
};

// One parameter checked by central differences of the 50-digit loss.
struct GradientCheckEntry {
  std::string tensor;
  size_t index = 0;  // within the tensor
  double analytic = 0, numeric = 0;
  double error = 0;  // |numeric - analytic| / max |analytic| over the tensor (or absolute if all 0)
};

struct GradientCheck {
  int tokens = 0;  // the window it runs on: the first `tokens` positions of the first sequence
  std::string step;
  std::vector<GradientCheckEntry> entries;  // parameter-table order
  double worst_error = 0;
  const GradientCheckEntry* worst() const;
};

struct PrecisionReport {
  ModelConfig config;
  int batch = 0, tokens_per_sequence = 0;
  std::vector<TensorPrecision> activations;  // activation-table order
  std::vector<TensorPrecision> gradients;    // parameter-table order
  LossPrecision loss;
  GradientCheck check;
  // Digits float32 loses beyond its own rounding: max over the activations and gradients of
  // log10(float32 error / 2^-24), clamped at 0. 2^-24 is the largest relative error of rounding one value
  // to float32, so 0 means no tensor is worse than storing the exact result in float32 would make it, and
  // N means the worst tensor carries N fewer correct significant digits than float32 can hold.
  double lost_digits = 0;
  std::string worst_tensor;  // where the largest float32 error is
  double worst_float32_error = 0;
  double seconds_float32 = 0, seconds_float64 = 0, seconds_fifty = 0, seconds_check = 0;

  // "float32 loses at most 1.3 significant digits in this model"
  std::string verdict() const;
};

// The largest relative error of one rounding to float32 (its unit roundoff): 2^-24.
inline constexpr double kFloat32Unit = 5.9604644775390625e-08;

// What the lab is doing: `stage` in words; done and total in units of one 50-digit position-pass (a
// forward over one token; a backward counts two), so that done / total tracks the time. Returning false
// stops the measurement (measure_precision then returns nothing).
using PrecisionProgress = std::function<bool(const std::string& stage, long done, long total)>;

// Runs the three passes on `settings.batch` windows of T + 1 tokens spread evenly over `tokens` (the one
// batch of evaluation_batches; with batch 1, the first window), then the gradient check. Throws
// cllm::Error for bad settings, too few tokens or tokens outside the vocabulary; returns nothing when
// `progress` asked to stop.
std::optional<PrecisionReport> measure_precision(const ModelConfig& config, std::span<const float> parameters,
                                                 std::span<const int32_t> tokens,
                                                 const PrecisionSettings& settings,
                                                 const PrecisionProgress& progress = {});
std::optional<PrecisionReport> measure_precision(const Checkpoint& checkpoint,
                                                 std::span<const int32_t> tokens,
                                                 const PrecisionSettings& settings,
                                                 const PrecisionProgress& progress = {});

// The tokens to measure on: the validation split of `corpus` tokenised with the checkpoint's tokenizer
// when given, else of the checkpoint's own training corpus when it is still there unchanged. Throws a
// one-line cllm::Error saying to pass a corpus when there is neither.
std::vector<int32_t> precision_tokens(const Checkpoint& checkpoint, const Corpus* corpus);

// x rounded to bfloat16 (8 significant bits, round to nearest even, subnormals below 2^-126), as a
// double (every bfloat16 is one). Exposed for the tests.
double round_to_bfloat16(double x);

}  // namespace cllm
