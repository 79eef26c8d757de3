#include "model/positional_encoding.h"

#include <cmath>

#include "util/error.h"

namespace cllm {
namespace {

class LearnedEncoding final : public PositionalEncoding {
 public:
  std::string name() const override { return "learned"; }
  bool learned() const override { return true; }
  std::vector<double> fixed_table(int, int) const override { return {}; }
};

// PE[t, 2i] = sin(t / 10000^(2i/C)), PE[t, 2i+1] = cos(same).
class SinusoidalEncoding final : public PositionalEncoding {
 public:
  std::string name() const override { return "sinusoidal"; }
  bool learned() const override { return false; }
  std::vector<double> fixed_table(int max_positions, int channels) const override {
    std::vector<double> table(static_cast<size_t>(max_positions) * channels);
    for (int t = 0; t < max_positions; ++t)
      for (int c = 0; c < channels; ++c) {
        const double angle = t / std::pow(10000.0, double(c - c % 2) / channels);
        table[static_cast<size_t>(t) * channels + c] = c % 2 == 0 ? std::sin(angle) : std::cos(angle);
      }
    return table;
  }
};

class NoEncoding final : public PositionalEncoding {
 public:
  std::string name() const override { return "none"; }
  bool learned() const override { return false; }
  std::vector<double> fixed_table(int max_positions, int channels) const override {
    return std::vector<double>(static_cast<size_t>(max_positions) * channels, 0.0);
  }
};

}  // namespace

std::unique_ptr<PositionalEncoding> make_positional_encoding(const std::string& name) {
  if (name == "learned") return std::make_unique<LearnedEncoding>();
  if (name == "sinusoidal") return std::make_unique<SinusoidalEncoding>();
  if (name == "none") return std::make_unique<NoEncoding>();
  throw Error("unknown positional encoding '" + name + "' (known: learned, sinusoidal, none)");
}

std::vector<std::string> positional_encoding_names() { return {"learned", "sinusoidal", "none"}; }

}  // namespace cllm
