#pragma once
// How the model knows where a token is. An interface so that further encodings (lattice spiral/clock/
// prime tables, rotary) plug in by adding a class and a name, without touching the model.
//
// Today every encoding is an additive table wpe[T_max, C] added to the token embeddings: either a
// learned parameter tensor (trained with the model) or a fixed table computed once.

#include <memory>
#include <string>
#include <vector>

namespace cllm {

class PositionalEncoding {
 public:
  virtual ~PositionalEncoding() = default;
  virtual std::string name() const = 0;
  // True: the table is the trained parameter tensor "transformer.wpe.weight" [block_size, C].
  virtual bool learned() const = 0;
  // Fixed encodings: the table [max_positions, channels], row-major, in double so every scalar type of
  // the reference path shares one definition. Not called for learned encodings.
  virtual std::vector<double> fixed_table(int max_positions, int channels) const = 0;
};

// "learned" (default, GPT-2), "sinusoidal" (Vaswani et al.), "none" (no positional signal: a baseline
// that shows what position information is worth). Throws cllm::Error for other names, listing these.
std::unique_ptr<PositionalEncoding> make_positional_encoding(const std::string& name);
std::vector<std::string> positional_encoding_names();

}  // namespace cllm
