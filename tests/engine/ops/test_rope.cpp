#include "ops/rope.h"

#include "op_test_util.h"
#include "util/error.h"

namespace cllm::test {
namespace {

std::vector<double> double_table(int T, int hs) {
  return ops::rope_table(T, hs);
}

TEST(Rope, ReferenceGradientMatchesFiniteDifferences) {
  const int B = 2, T = 5, C = 8, NH = 2, T_max = 9, position = 3;
  Rng rng(71);
  const auto table = double_table(T_max, C / NH);
  auto x = random_vector(B * T * 3 * C, rng), r = random_vector(B * T * 3 * C, rng);
  auto loss = [&] {
    auto y = x;
    ops::rope_forward_ref(y.data(), table.data(), B, T, position, T_max, C, NH);
    return dot(y, r);
  };
  auto dx = r;
  ops::rope_backward_ref(dx.data(), table.data(), B, T, position, T_max, C, NH);
  expect_gradient_matches("dqkv", x, dx, loss, 100000);
}

TEST(Rope, ScoresDependOnlyOnTheDistanceAndValuesAreUntouched) {
  const int C = 8, NH = 2, hs = C / NH, T_max = 40;
  Rng rng(72);
  const auto table = double_table(T_max, hs);
  const auto q = random_vector(3 * C, rng), k = random_vector(3 * C, rng);
  // q at position p, k at position s: rotate each alone (one row, T = 1), then dot the q part of head 1
  // with the k part of head 1.
  auto score = [&](int p, int s) {
    auto qr = q, kr = k;
    ops::rope_forward_ref(qr.data(), table.data(), 1, 1, p, T_max, C, NH);
    ops::rope_forward_ref(kr.data(), table.data(), 1, 1, s, T_max, C, NH);
    double d = 0;
    for (int i = 0; i < hs; ++i) d += qr[hs + i] * kr[C + hs + i];
    return d;
  };
  EXPECT_NEAR(score(7, 3), score(30, 26), 1e-12);
  EXPECT_NEAR(score(5, 5), score(0, 0), 1e-12);
  EXPECT_GT(std::abs(score(7, 3) - score(7, 6)), 1e-6);
  auto rotated = q;
  ops::rope_forward_ref(rotated.data(), table.data(), 1, 1, 11, T_max, C, NH);
  for (int i = 2 * C; i < 3 * C; ++i) EXPECT_EQ(rotated[i], q[i]);
  // Position 0 is the identity.
  auto at_zero = q;
  ops::rope_forward_ref(at_zero.data(), table.data(), 1, 1, 0, T_max, C, NH);
  for (int i = 0; i < 3 * C; ++i) EXPECT_NEAR(at_zero[i], q[i], 1e-15);
}

TEST(Rope, FastMatchesReference) {
  const int B = 12, T = 64, C = 128, NH = 4, T_max = 64;
  Rng rng(73);
  const auto table = double_table(T_max, C / NH);
  const auto x = random_vector(static_cast<size_t>(B) * T * 3 * C, rng);
  auto fwd = x, bwd = x;
  ops::rope_forward_ref(fwd.data(), table.data(), B, T, 0, T_max, C, NH);
  ops::rope_backward_ref(bwd.data(), table.data(), B, T, 0, T_max, C, NH);
  const auto ftable = to_float(table);
  auto ffwd = to_float(x), fbwd = to_float(x);
  ops::rope_forward(ffwd.data(), ftable.data(), B, T, 0, T_max, C, NH);
  ops::rope_backward(fbwd.data(), ftable.data(), B, T, 0, T_max, C, NH);
  expect_close("forward", ffwd, fwd, 1e-6);
  expect_close("backward", fbwd, bwd, 1e-6);
}

TEST(Rope, ShapeChecksNameTheOp) {
  const int C = 6, NH = 1;  // head size 6 is even, 3 heads of 2 would be too
  std::vector<float> x(3 * C), table(10 * C);
  EXPECT_NO_THROW(ops::rope_forward(x.data(), table.data(), 1, 1, 9, 10, C, NH));
  EXPECT_THROW(ops::rope_forward(x.data(), table.data(), 1, 1, 10, 10, C, NH), Error);  // past the table
  EXPECT_THROW(ops::rope_forward(x.data(), table.data(), 1, 1, 0, 10, 9, 3), Error);    // odd head size 3
  try {
    ops::rope_forward(x.data(), table.data(), 1, 2, 9, 10, C, NH);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("rope_forward: shape check failed"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cllm::test
