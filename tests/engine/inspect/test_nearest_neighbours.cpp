// Nearest neighbours: a set where cosine and Euclidean disagree, zero vectors, and the blocked graph
// against a brute-force scan.
#include "inspect/nearest_neighbours.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "../expect_error.h"
#include "util/rng.h"

namespace cllm::test {
namespace {

TEST(NearestNeighbours, CosineAndEuclideanDisagreeOnACraftedSet) {
  // 0 is the query (1, 0); 1 = (10, 1) points the same way but is far; 2 = (0.9, 0.5) is near but turned
  // 29 degrees; 3 is the zero vector.
  const std::vector<float> rows = {1, 0, 10, 1, 0.9f, 0.5f, 0, 0};
  const auto cosine = nearest_neighbours(rows.data(), 4, 2, 0, 3, Distance::Cosine);
  ASSERT_EQ(cosine.size(), 3u);
  EXPECT_EQ(cosine[0].id, 1);
  EXPECT_NEAR(cosine[0].distance, 1 - 10 / std::sqrt(101.0), 1e-7);
  EXPECT_EQ(cosine[1].id, 2);
  EXPECT_NEAR(cosine[1].distance, 1 - 0.9 / std::sqrt(0.81 + 0.25), 1e-6);
  EXPECT_EQ(cosine[2].id, 3);
  EXPECT_FLOAT_EQ(cosine[2].distance, 1);  // a zero vector has cosine 0 with everything
  const auto euclidean = nearest_neighbours(rows.data(), 4, 2, 0, 3, Distance::Euclidean);
  EXPECT_EQ(euclidean[0].id, 2);
  EXPECT_NEAR(euclidean[0].distance, std::sqrt(0.01 + 0.25), 1e-6);
  EXPECT_EQ(euclidean[1].id, 3);
  EXPECT_EQ(euclidean[2].id, 1);
  EXPECT_NEAR(euclidean[2].distance, std::sqrt(82.0), 1e-5);
  // Never the query itself; count beyond n - 1 is clipped.
  const auto all = nearest_neighbours(rows.data(), 4, 2, 3, 10, Distance::Cosine);
  EXPECT_EQ(all.size(), 3u);
  for (const Neighbour& nb : all) EXPECT_NE(nb.id, 3);
  EXPECT_EQ(parse_distance(distance_name(Distance::Euclidean)), Distance::Euclidean);
  expect_error([] { parse_distance("manhattan"); }, "expected cosine or euclidean");
  expect_error([&] { nearest_neighbours(rows.data(), 4, 2, 4, 1, Distance::Cosine); }, "query id 4");
}

std::vector<float> random_rows(int n, int d, uint64_t seed) {
  Rng rng(seed);
  std::vector<float> rows(static_cast<size_t>(n) * d);
  for (auto& x : rows)
    x = static_cast<float>(rng.normal() + 0.5);  // off-centre, so cosine != Euclidean order
  return rows;
}

void expect_same(const std::vector<Neighbour>& a, const std::vector<Neighbour>& b, const std::string& where) {
  ASSERT_EQ(a.size(), b.size()) << where;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].id, b[i].id) << where << " rank " << i;
    EXPECT_FLOAT_EQ(a[i].distance, b[i].distance) << where << " rank " << i;
  }
}

TEST(NearestNeighbours, GraphEqualsBruteForceOnAllPointsAndOnASubset) {
  const int n = 600, d = 24, k = 7;
  auto rows = random_rows(n, d, 11);
  std::fill(rows.begin() + 5 * d, rows.begin() + 6 * d, 0.0f);  // one zero vector
  for (const Distance distance : {Distance::Cosine, Distance::Euclidean}) {
    const auto graph = neighbour_graph(rows.data(), n, d, k, distance, {});
    ASSERT_EQ(graph.size(), static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
      expect_same(graph[static_cast<size_t>(i)], nearest_neighbours(rows.data(), n, d, i, k, distance),
                  std::string(distance_name(distance)) + " point " + std::to_string(i));

    // A subset: neighbours among the subset only, brute force on the subset's own rows.
    std::vector<int32_t> subset;
    for (int32_t i = n - 1; i >= 0; i -= 7) subset.push_back(i);
    std::vector<float> sub_rows;
    for (const int32_t id : subset)
      sub_rows.insert(sub_rows.end(), rows.begin() + id * d, rows.begin() + (id + 1) * d);
    const auto sub_graph = neighbour_graph(rows.data(), n, d, k, distance, subset);
    ASSERT_EQ(sub_graph.size(), subset.size());
    for (size_t s = 0; s < subset.size(); ++s) {
      auto expected = nearest_neighbours(sub_rows.data(), static_cast<int>(subset.size()), d,
                                         static_cast<int32_t>(s), k, distance);
      for (Neighbour& nb : expected) nb.id = subset[static_cast<size_t>(nb.id)];
      // Ties are broken by id, which the renumbering can reorder; compare as sets of (distance, id).
      auto got = sub_graph[s];
      auto key = [](const Neighbour& a, const Neighbour& b) {
        return a.distance != b.distance ? a.distance < b.distance : a.id < b.id;
      };
      std::sort(expected.begin(), expected.end(), key);
      std::sort(got.begin(), got.end(), key);
      expect_same(got, expected, "subset member " + std::to_string(s));
    }
  }
  expect_error(
      [&] {
        neighbour_graph(rows.data(), n, d, k, Distance::Cosine, std::vector<int32_t>{1, 1});
      },
      "appears twice");
  expect_error([&] { neighbour_graph(rows.data(), n, d, k, Distance::Cosine, std::vector<int32_t>{n}); },
               "outside");
}

}  // namespace
}  // namespace cllm::test
