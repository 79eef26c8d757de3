#include "inspect/pca.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <string>

#include "util/error.h"

namespace cllm {
namespace {

using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr int kBlockRows = 1024;

}  // namespace

PcaResult pca(const float* rows, int n, int d, int components, const PcaResult* previous) {
  require(n >= 2, "PCA needs at least 2 points, got " + std::to_string(n));
  require(d >= 1, "PCA needs at least 1 dimension, got " + std::to_string(d));
  require(components >= 1 && components <= d, "PCA: " + std::to_string(components) + " components asked of " +
                                                  std::to_string(d) + "-dimensional points (1 to " +
                                                  std::to_string(d) + ")");
  require(rows != nullptr, "PCA: no data");
  const Eigen::Map<const RowMatrixF> x(rows, n, d);

  const Eigen::RowVectorXd mean = x.cast<double>().colwise().sum() / n;
  Eigen::MatrixXd cov = Eigen::MatrixXd::Zero(d, d);
  for (int start = 0; start < n; start += kBlockRows) {
    const int count = std::min(kBlockRows, n - start);
    const RowMatrixD block = x.middleRows(start, count).cast<double>().rowwise() - mean;
    cov.selfadjointView<Eigen::Lower>().rankUpdate(block.transpose());
  }
  cov /= n - 1;  // the lower triangle only: the solver reads nothing else

  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
  require(solver.info() == Eigen::Success, "PCA: the eigen decomposition did not converge");
  const Eigen::VectorXd& values = solver.eigenvalues();  // ascending
  const double total = std::max(0.0, cov.trace());

  PcaResult r;
  r.components = components;
  r.mean.assign(d, 0.0f);
  for (int j = 0; j < d; ++j) r.mean[j] = static_cast<float>(mean[j]);
  RowMatrixD axes(components, d);
  const bool follow = previous && previous->components == components &&
                      previous->axes.size() == static_cast<size_t>(components) * static_cast<size_t>(d);
  for (int c = 0; c < components; ++c) {
    const int column = d - 1 - c;
    Eigen::VectorXd axis = solver.eigenvectors().col(column);
    double sign_ref = 0;
    if (follow) {
      for (int j = 0; j < d; ++j) sign_ref += axis[j] * previous->axes[static_cast<size_t>(c) * d + j];
    } else {
      Eigen::Index largest = 0;
      axis.cwiseAbs().maxCoeff(&largest);
      sign_ref = axis[largest];
    }
    if (sign_ref < 0) axis = -axis;
    axes.row(c) = axis.transpose();
    r.variance_share.push_back(total > 0 ? std::max(0.0, values[column]) / total : 0.0);
  }
  r.axes.resize(static_cast<size_t>(components) * d);
  Eigen::Map<RowMatrixF>(r.axes.data(), components, d) = axes.cast<float>();

  r.coordinates.resize(static_cast<size_t>(n) * components);
  Eigen::Map<RowMatrixF> coords(r.coordinates.data(), n, components);
  for (int start = 0; start < n; start += kBlockRows) {
    const int count = std::min(kBlockRows, n - start);
    const RowMatrixD block = x.middleRows(start, count).cast<double>().rowwise() - mean;
    coords.middleRows(start, count) = (block * axes.transpose()).cast<float>();
  }
  return r;
}

}  // namespace cllm
