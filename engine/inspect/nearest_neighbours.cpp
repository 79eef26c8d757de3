#include "inspect/nearest_neighbours.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "kernels/gemm.h"
#include "kernels/parallel.h"
#include "util/error.h"

namespace cllm {
namespace {

constexpr int kQueryBlock = 256;
// Candidates ranked exactly beyond the k asked for: float scores can swap near-equal neighbours, never
// points this far apart in the ranking.
constexpr int kExtraCandidates = 16;

void check_shape(const float* rows, int n, int d) {
  require(rows != nullptr && n >= 1 && d >= 1,
          "nearest neighbours: need at least one point of at least one "
          "dimension (got " +
              std::to_string(n) + " x " + std::to_string(d) + ")");
}

// The distance both forms rank by, in double.
double exact_distance(const float* a, const float* b, int d, Distance distance) {
  if (distance == Distance::Euclidean) {
    double sum = 0;
    for (int j = 0; j < d; ++j) sum += (double(a[j]) - b[j]) * (double(a[j]) - b[j]);
    return std::sqrt(sum);
  }
  double dot = 0, na = 0, nb = 0;
  for (int j = 0; j < d; ++j) {
    dot += double(a[j]) * b[j];
    na += double(a[j]) * a[j];
    nb += double(b[j]) * b[j];
  }
  if (na == 0 || nb == 0) return 1.0;
  return 1.0 - dot / std::sqrt(na * nb);
}

struct Ranked {
  double distance;
  int32_t id;
  bool operator<(const Ranked& o) const { return distance != o.distance ? distance < o.distance : id < o.id; }
};

std::vector<Neighbour> best(std::vector<Ranked>& ranked, int count) {
  const size_t keep = std::min(ranked.size(), static_cast<size_t>(std::max(count, 0)));
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep), ranked.end());
  std::vector<Neighbour> out(keep);
  for (size_t i = 0; i < keep; ++i) out[i] = {ranked[i].id, static_cast<float>(ranked[i].distance)};
  return out;
}

}  // namespace

std::string_view distance_name(Distance distance) {
  return distance == Distance::Cosine ? "cosine" : "euclidean";
}

Distance parse_distance(std::string_view name) {
  if (name == "cosine") return Distance::Cosine;
  if (name == "euclidean") return Distance::Euclidean;
  throw Error("unknown distance \"" + std::string(name) + "\" (expected cosine or euclidean)");
}

std::vector<Neighbour> nearest_neighbours(const float* rows, int n, int d, int32_t query, int count,
                                          Distance distance) {
  check_shape(rows, n, d);
  require(query >= 0 && query < n, "nearest neighbours: query id " + std::to_string(query) +
                                       " is outside [0, " + std::to_string(n) + ")");
  require(count >= 0, "nearest neighbours: count " + std::to_string(count) + " is negative");
  const float* q = rows + static_cast<size_t>(query) * d;
  std::vector<Ranked> ranked;
  ranked.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; ++i)
    if (i != query) ranked.push_back({exact_distance(q, rows + static_cast<size_t>(i) * d, d, distance), i});
  return best(ranked, count);
}

std::vector<std::vector<Neighbour>> neighbour_graph(const float* rows, int n, int d, int k, Distance distance,
                                                    std::span<const int32_t> subset) {
  check_shape(rows, n, d);
  require(k >= 0, "neighbour graph: k " + std::to_string(k) + " is negative");
  std::vector<int32_t> ids(subset.begin(), subset.end());
  if (ids.empty()) {
    ids.resize(static_cast<size_t>(n));
    std::iota(ids.begin(), ids.end(), 0);
  }
  std::vector<bool> seen(static_cast<size_t>(n), false);
  for (const int32_t id : ids) {
    require(id >= 0 && id < n,
            "neighbour graph: id " + std::to_string(id) + " is outside [0, " + std::to_string(n) + ")");
    require(!seen[static_cast<size_t>(id)], "neighbour graph: id " + std::to_string(id) + " appears twice");
    seen[static_cast<size_t>(id)] = true;
  }
  const auto m = static_cast<int>(ids.size());
  const auto ud = static_cast<size_t>(d);

  // The candidates as one [m, d] matrix: unit rows for cosine (zero rows stay zero), squared norms kept
  // for Euclidean.
  std::vector<float> points(static_cast<size_t>(m) * ud);
  std::vector<float> squared(static_cast<size_t>(m));
  for (int i = 0; i < m; ++i) {
    float* p = points.data() + static_cast<size_t>(i) * ud;
    std::copy_n(rows + static_cast<size_t>(ids[i]) * ud, ud, p);
    double s = 0;
    for (size_t j = 0; j < ud; ++j) s += double(p[j]) * p[j];
    squared[i] = static_cast<float>(s);
    if (distance == Distance::Cosine && s > 0) {
      const auto inv = static_cast<float>(1 / std::sqrt(s));
      for (size_t j = 0; j < ud; ++j) p[j] *= inv;
    }
  }

  const auto shortlist = static_cast<size_t>(std::min(m - 1, k + kExtraCandidates));
  std::vector<std::vector<Neighbour>> graph(static_cast<size_t>(m));
  std::vector<float> scores(static_cast<size_t>(kQueryBlock) * static_cast<size_t>(m));
  for (int start = 0; start < m; start += kQueryBlock) {
    const int count = std::min(kQueryBlock, m - start);
    kernels::sgemm(false, true, count, m, d, 1.0f, points.data() + static_cast<size_t>(start) * ud, d,
                   points.data(), d, 0.0f, scores.data(), m);
    kernels::parallel_for(count, static_cast<long>(count) * m, [&](long r) {
      const int i = start + static_cast<int>(r);
      const float* row = scores.data() + static_cast<size_t>(r) * static_cast<size_t>(m);
      // The shortlist by float score, kept sorted; smaller is nearer: 1 - cos, or |a|^2 + |b|^2 - 2 a.b.
      std::vector<std::pair<float, int>> near;
      near.reserve(shortlist + 1);
      for (int j = 0; j < m; ++j) {
        if (j == i) continue;
        const float a = distance == Distance::Cosine ? 1.0f - row[j] : squared[i] + squared[j] - 2 * row[j];
        if (near.size() == shortlist && (shortlist == 0 || !(a < near.back().first))) continue;
        near.insert(std::upper_bound(near.begin(), near.end(), std::make_pair(a, j)), {a, j});
        if (near.size() > shortlist) near.pop_back();
      }
      std::vector<Ranked> ranked;
      ranked.reserve(near.size());
      const float* q = rows + static_cast<size_t>(ids[i]) * ud;
      for (const auto& [score, j] : near) {
        const int32_t id = ids[static_cast<size_t>(j)];
        ranked.push_back({exact_distance(q, rows + static_cast<size_t>(id) * ud, d, distance), id});
      }
      graph[static_cast<size_t>(i)] = best(ranked, k);
    });
  }
  return graph;
}

}  // namespace cllm
