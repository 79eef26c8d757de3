#include "layers/embedding.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "lattice/lattice_maps.h"
#include "lattice/primes.h"
#include "util/error.h"

namespace cllm::layers {

std::vector<std::string> embedding_init_names() {
  return {"random", "lattice"};
}

void check_embedding_init(const std::string& name) {
  const auto names = embedding_init_names();
  if (std::find(names.begin(), names.end(), name) != names.end()) return;
  std::string known;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  throw Error("unknown embedding initialisation '" + name + "' (known: " + known + ")");
}

std::vector<double> lattice_embedding(int vocab, int channels) {
  const std::vector<uint64_t> primes = first_primes(static_cast<size_t>(vocab));
  std::vector<double> table(static_cast<size_t>(vocab) * channels);
  const double target_norm = 0.02 * std::sqrt(static_cast<double>(channels));
  for (int k = 0; k < vocab; ++k) {
    const Point3 cone = prime_cone(k, primes[k]);
    const double clock_angle = 2 * std::numbers::pi * double(primes[k] % 12) / 12.0;
    double* row = table.data() + static_cast<size_t>(k) * channels;
    double sum = 0;
    for (int i = 0; i < channels; ++i) {
      const double f = i + 1;
      row[i] = 0.3 * std::sin(f * cone.x / 10) + 0.3 * std::cos(f * cone.y / 10) +
               0.3 * std::sin(f * cone.z / 10) + 0.1 * std::cos(f * clock_angle);
      sum += row[i] * row[i];
    }
    const double scale = sum > 0 ? target_norm / std::sqrt(sum) : 0.0;
    for (int i = 0; i < channels; ++i) row[i] *= scale;
  }
  return table;
}

Embedding::Embedding(ParameterTable& table, int vocab, int max_positions, int channels,
                     const std::string& positional, const std::string& init, const WordRootTables* roots)
    : vocab_(vocab), channels_(channels) {
  check_embedding_init(init);
  const Init rows_init = init == "lattice" ? Init::lattice_embedding : Init::normal;
  if (roots && !roots->root_of.empty()) {
    root_of_ = roots->root_of;
    affix_of_ = roots->affix_of;
    root_ = table.add("transformer.wte.root", {roots->roots, channels}, true, rows_init, 0.02);
    affix_ = table.add("transformer.wte.affix", {roots->affixes, channels}, true, Init::normal, 0.02);
  } else {
    wte_ = table.add("transformer.wte.weight", {vocab, channels}, true, rows_init, 0.02);
  }
  switch (positional_kind(positional)) {
    case PositionKind::learned:
      wpe_ = table.add("transformer.wpe.weight", {max_positions, channels}, true, Init::normal, 0.02);
      break;
    case PositionKind::fixed:
      fixed_ = table.add_constant("transformer.wpe.fixed", {max_positions, channels},
                                  fixed_positional_table(positional, max_positions, channels));
      break;
    case PositionKind::rotary:
    case PositionKind::none:
      break;
  }
}

}  // namespace cllm::layers
