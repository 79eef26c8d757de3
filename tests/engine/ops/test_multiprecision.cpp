// The reference ops compile and run with Boost's 50-digit binary float: the base of the precision lab.
#include <boost/multiprecision/cpp_bin_float.hpp>

#include "op_test_util.h"
#include "ops/attention.h"
#include "ops/gelu.h"
#include "ops/layernorm.h"

namespace cllm::test {
namespace {

using Big = boost::multiprecision::cpp_bin_float_50;

template <typename S>
std::vector<S> convert(const std::vector<double>& v) {
  return std::vector<S>(v.begin(), v.end());
}

// layernorm -> attention -> gelu, scalar loss = sum(out * r)
template <typename S>
S chain_loss(const std::vector<S>& x, const std::vector<S>& w, const std::vector<S>& b,
             const std::vector<S>& r, int B, int T, int C, int NH) {
  const int N = B * T, C3 = 3 * C;
  std::vector<S> ln(N * C3), mean(N), rstd(N), att(B * NH * T * T), out(N * C), act(N * C);
  ops::layernorm_forward_ref(ln.data(), mean.data(), rstd.data(), x.data(), w.data(), b.data(), N, C3);
  ops::attention_forward_ref(out.data(), att.data(), ln.data(), B, T, C, NH, nullptr);
  ops::gelu_forward_ref(act.data(), out.data(), N * C);
  S loss = 0;
  for (int i = 0; i < N * C; ++i) loss += act[i] * r[i];
  return loss;
}

TEST(Multiprecision, FiftyDigitForwardAgreesWithDoubleToDoublePrecision) {
  const int B = 1, T = 4, C = 8, NH = 2;
  Rng rng(51);
  auto x = random_vector(B * T * 3 * C, rng), w = random_vector(3 * C, rng), b = random_vector(3 * C, rng),
       r = random_vector(B * T * C, rng);
  const double d = chain_loss(x, w, b, r, B, T, C, NH);
  const Big big = chain_loss(convert<Big>(x), convert<Big>(w), convert<Big>(b), convert<Big>(r), B, T, C, NH);
  const float f =
      chain_loss(convert<float>(x), convert<float>(w), convert<float>(b), convert<float>(r), B, T, C, NH);
  const double err_double = std::abs(static_cast<double>((Big(d) - big) / big));
  const double err_float = std::abs(static_cast<double>((Big(f) - big) / big));
  EXPECT_LT(err_double, 1e-13);
  EXPECT_LT(err_float, 1e-4);
  EXPECT_GT(err_float, err_double);  // the measurement the precision lab is built on
}

TEST(Multiprecision, FiftyDigitFiniteDifferencesConfirmTheAttentionGradientTo25Digits) {
  const int B = 1, T = 4, C = 8, NH = 2, N = B * T;
  Rng rng(52);
  auto xd = random_vector(N * 3 * C, rng), rd = random_vector(N * C, rng);
  auto x = convert<Big>(xd), r = convert<Big>(rd);
  std::vector<Big> out(N * C), att(B * NH * T * T), dx(N * 3 * C);
  ops::attention_forward_ref(out.data(), att.data(), x.data(), B, T, C, NH, nullptr);
  ops::attention_backward_ref(dx.data(), r.data(), x.data(), att.data(), B, T, C, NH, nullptr);
  auto loss = [&] {
    ops::attention_forward_ref(out.data(), att.data(), x.data(), B, T, C, NH, nullptr);
    Big s = 0;
    for (int i = 0; i < N * C; ++i) s += out[i] * r[i];
    return s;
  };
  const Big h("1e-20");
  for (size_t i = 0; i < x.size(); i += 5) {
    const Big saved = x[i];
    x[i] = saved + h;
    const Big up = loss();
    x[i] = saved - h;
    const Big down = loss();
    x[i] = saved;
    const Big numeric = (up - down) / (2 * h);
    EXPECT_LT(static_cast<double>(abs(numeric - dx[i])), 1e-25) << "index " << i;
  }
}

}  // namespace
}  // namespace cllm::test
