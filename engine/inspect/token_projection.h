#pragma once
// Where each token of a vocabulary sits in one scene of the 3-D view, and in `cllm embed --projection`:
// the learned embeddings by PCA (3-D or 2-D, with each axis's share of the variance), or one of the
// lattice maps of the token's prime (lattice/lattice_maps.h). One function, so the workbench and the
// command line show the same coordinates.
//
// Scenes: "pca3d", "pca2d", "cone", "clock", "helix", "ulam". Pure function, thread-safe.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "inspect/pca.h"

namespace cllm {

struct TokenProjection {
  std::string scene;
  std::vector<float> xyz;                // [V, 3] in token id order (2-D scenes have z = 0)
  std::vector<std::string> axis_titles;  // "PC1 · 41.2% of variance", or "x", "y", "z = ln(p + 1)"
  PcaResult pca;                         // PCA scenes: kept so the next update keeps the axes' signs
};

// Every scene name, in menu order.
const std::vector<std::string>& token_scene_names();
bool is_pca_scene(std::string_view scene);

// `embeddings` is [vocab, dim] (only PCA scenes read it; lattice scenes need only `vocab`). `previous`
// (may be null) aligns PCA axes with an earlier result of the same scene and shape. Throws cllm::Error
// for an unknown scene or impossible sizes.
TokenProjection project_tokens(std::string_view scene, std::span<const float> embeddings, int vocab, int dim,
                               const TokenProjection* previous = nullptr);

}  // namespace cllm
