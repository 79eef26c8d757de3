#include "inspect/token_projection.h"

#include <cstdio>

#include "lattice/lattice_maps.h"
#include "lattice/primes.h"
#include "util/error.h"

namespace cllm {

const std::vector<std::string>& token_scene_names() {
  static const std::vector<std::string> names = {"pca3d", "pca2d", "cone", "clock", "helix", "ulam"};
  return names;
}

bool is_pca_scene(std::string_view scene) {
  return scene == "pca3d" || scene == "pca2d";
}

TokenProjection project_tokens(std::string_view scene, std::span<const float> embeddings, int vocab, int dim,
                               const TokenProjection* previous) {
  require(vocab >= 1, "cannot project an empty vocabulary");
  TokenProjection out;
  out.scene = std::string(scene);
  out.xyz.assign(3 * static_cast<size_t>(vocab), 0.0f);
  if (is_pca_scene(scene)) {
    require(dim >= 1 && embeddings.size() == static_cast<size_t>(vocab) * dim,
            "the embedding table has " + std::to_string(embeddings.size()) + " values, expected " +
                std::to_string(vocab) + " x " + std::to_string(dim));
    const int components = std::min(scene == "pca3d" ? 3 : 2, dim);
    const bool aligned = previous && previous->scene == scene && previous->pca.components == components &&
                         previous->pca.mean.size() == static_cast<size_t>(dim);
    out.pca = pca(embeddings.data(), vocab, dim, components, aligned ? &previous->pca : nullptr);
    for (int v = 0; v < vocab; ++v)
      for (int c = 0; c < components; ++c)
        out.xyz[3 * v + c] = out.pca.coordinates[static_cast<size_t>(v) * components + c];
    for (int c = 0; c < components; ++c) {
      char title[64];
      std::snprintf(title, sizeof title, "PC%d · %.1f%% of variance", c + 1,
                    100.0 * out.pca.variance_share[c]);
      out.axis_titles.emplace_back(title);
    }
    return out;
  }
  const LatticeScene map = parse_lattice_scene(scene);  // throws, listing the lattice names
  const std::vector<Point3> points = lattice_points(map, first_primes(static_cast<size_t>(vocab)));
  for (int v = 0; v < vocab; ++v) {
    out.xyz[3 * v] = static_cast<float>(points[v].x);
    out.xyz[3 * v + 1] = static_cast<float>(points[v].y);
    out.xyz[3 * v + 2] = static_cast<float>(points[v].z);
  }
  switch (map) {
    case LatticeScene::Cone:
      out.axis_titles = {"x = √k cos(137.5° k)", "y = √k sin(137.5° k)",
                         "z = ln(p + 1)"};  // no Greek in the font
      break;
    case LatticeScene::Clock:
      out.axis_titles = {"x", "y", "z = ring"};
      break;
    case LatticeScene::Helix:
      out.axis_titles = {"angle = 30° (p mod 12)", "radius = p^0.694", "z = ln p / ln 1.618"};
      break;
    case LatticeScene::Ulam:
      out.axis_titles = {"x", "y", "z = 0"};
      break;
  }
  return out;
}

}  // namespace cllm
