#pragma once
// Principal component analysis of a point cloud, for the learned-embedding scene (token embeddings
// [V, C] seen in 2-D or 3-D) and `cllm embed --projection pca`.
//
// Centres the rows, accumulates the D x D sample covariance in double (in blocks of rows, so memory stays
// O(D^2) beyond the input), and takes its top eigenvectors with Eigen's SelfAdjointEigenSolver; fine for
// D up to a few thousand. Each eigenvalue's share of the covariance's trace is that component's share of
// the total variance.
//
// An eigenvector's sign is arbitrary, so it is fixed: with `previous` of the same shape (components and
// D), each axis points the way the previous result's axis did (dot product >= 0), so a view updated
// during training does not mirror between updates; otherwise each axis's largest-magnitude entry is
// positive. Pure function, thread-safe; throws cllm::Error for n < 2, d < 1, components outside [1, d].

#include <vector>

namespace cllm {

struct PcaResult {
  int components = 0;
  std::vector<float> coordinates;      // [N, components] row-major: each row's position along the axes
  std::vector<double> variance_share;  // per component, fraction of total variance, descending; sum <= 1
  std::vector<float> mean;             // [D]
  std::vector<float> axes;             // [components, D], unit length, orthogonal
};

PcaResult pca(const float* rows, int n, int d, int components, const PcaResult* previous = nullptr);

}  // namespace cllm
