#pragma once
// Nearest neighbours of points in their ORIGINAL space (not a projection): which tokens the model
// places near a token, for the embedding scene's neighbour list and edges.
//
// Distances: cosine distance 1 - cos(a, b) (a zero vector has cosine 0 with everything, so distance 1),
// or Euclidean. Lists are ascending by distance, ties by id, and never contain the query itself.
// The single-query form is a plain O(n d) scan in double. The graph form scores all pairs with blocked
// float matrix products (kernels::sgemm), keeps a few more candidates than asked per point, and ranks
// those by the same double distances as the scan, so both forms agree exactly. Rows are processed with
// the engine's OpenMP loop. Pure functions, thread-safe; shape errors throw cllm::Error.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace cllm {

enum class Distance { Cosine, Euclidean };
std::string_view distance_name(Distance distance);  // "cosine", "euclidean"
Distance parse_distance(std::string_view name);     // throws cllm::Error listing the names

struct Neighbour {
  int32_t id;
  float distance;
};

// The `count` points nearest to row `query` (fewer when n - 1 < count). rows is [n, d] row-major.
std::vector<Neighbour> nearest_neighbours(const float* rows, int n, int d, int32_t query, int count,
                                          Distance distance);

// The k nearest neighbours of every point of `subset` among the points of `subset` (the edges of the
// graph the view draws on those points); an empty subset means all n points. One list per subset member,
// in subset order, holding original row ids. Subset ids must be distinct and in [0, n).
std::vector<std::vector<Neighbour>> neighbour_graph(const float* rows, int n, int d, int k, Distance distance,
                                                    std::span<const int32_t> subset);

}  // namespace cllm
