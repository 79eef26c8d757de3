#include "ops/attention.h"

#include "op_test_util.h"
#include "util/error.h"

namespace cllm::test {
namespace {

TEST(Attention, ReferenceGradientsMatchFiniteDifferences) {
  const int B = 2, T = 5, C = 8, NH = 2;
  Rng rng(31);
  auto inp = random_vector(B * T * 3 * C, rng), r = random_vector(B * T * C, rng);
  auto loss = [&] {
    std::vector<double> out(B * T * C), att(B * NH * T * T);
    ops::attention_forward_ref(out.data(), att.data(), inp.data(), B, T, C, NH, nullptr);
    return dot(out, r);
  };
  std::vector<double> out(B * T * C), att(B * NH * T * T), dinp(B * T * 3 * C);
  ops::attention_forward_ref(out.data(), att.data(), inp.data(), B, T, C, NH, nullptr);
  ops::attention_backward_ref(dinp.data(), r.data(), inp.data(), att.data(), B, T, C, NH, nullptr);
  expect_gradient_matches("dqkv", inp, dinp, loss, 100000);
}

TEST(Attention, IsCausalAndRowsSumToOne) {
  const int B = 1, T = 6, C = 4, NH = 2;
  Rng rng(32);
  auto inp = random_vector(B * T * 3 * C, rng);
  std::vector<double> out(B * T * C), att(B * NH * T * T);
  ops::attention_forward_ref(out.data(), att.data(), inp.data(), B, T, C, NH, nullptr);
  for (int h = 0; h < NH; ++h)
    for (int t = 0; t < T; ++t) {
      double sum = 0;
      for (int s = 0; s < T; ++s) {
        const double a = att[(h * T + t) * T + s];
        if (s > t) {
          EXPECT_EQ(a, 0.0);
        }
        sum += a;
      }
      EXPECT_NEAR(sum, 1.0, 1e-12);
    }
  // Changing a future token must not change earlier outputs.
  auto changed = inp;
  for (int c = 0; c < 3 * C; ++c) changed[(T - 1) * 3 * C + c] += 1.0;
  std::vector<double> out2(B * T * C);
  ops::attention_forward_ref(out2.data(), att.data(), changed.data(), B, T, C, NH, nullptr);
  for (int i = 0; i < (T - 1) * C; ++i) EXPECT_EQ(out[i], out2[i]);
}

TEST(Attention, FastMatchesReference) {
  const int B = 12, T = 64, C = 128, NH = 4;
  Rng rng(33);
  auto inp = random_vector(static_cast<size_t>(B) * T * 3 * C, rng),
       dout = random_vector(static_cast<size_t>(B) * T * C, rng);
  std::vector<double> out(static_cast<size_t>(B) * T * C), att(static_cast<size_t>(B) * NH * T * T),
      dinp(static_cast<size_t>(B) * T * 3 * C);
  ops::attention_forward_ref(out.data(), att.data(), inp.data(), B, T, C, NH, nullptr);
  ops::attention_backward_ref(dinp.data(), dout.data(), inp.data(), att.data(), B, T, C, NH, nullptr);
  auto fi = to_float(inp), fd = to_float(dout);
  std::vector<float> fo(out.size()), fa(att.size()), fdi(dinp.size());
  ops::attention_forward(fo.data(), fa.data(), fi.data(), B, T, C, NH, nullptr);
  ops::attention_backward(fdi.data(), fd.data(), fi.data(), fa.data(), B, T, C, NH, nullptr);
  expect_close("out", fo, out);
  expect_close("att", fa, att);
  expect_close("dqkv", fdi, dinp);
}

// A decoding step over a cache filled with a sequence's keys and values gives, at every position, the
// row the full causal pass gives: both are made of attend_one_ref, and the fast step must agree too.
TEST(Attention, DecodingStepEqualsTheFullPassRowByRow) {
  const int NS = 3, T = 7, C = 12, NH = 3, T_max = 9;
  Rng rng(34);
  const auto inp = random_vector(static_cast<size_t>(NS) * T * 3 * C, rng);
  std::vector<double> full(static_cast<size_t>(NS) * T * C), att(static_cast<size_t>(NS) * NH * T * T);
  ops::attention_forward_ref(full.data(), att.data(), inp.data(), NS, T, C, NH, nullptr);
  std::vector<double> kc(static_cast<size_t>(NS) * T_max * C), vc(kc.size());
  for (int s = 0; s < NS; ++s)
    for (int t = 0; t < T; ++t)
      for (int c = 0; c < C; ++c) {
        kc[(s * C + c) * T_max + t] = inp[(s * T + t) * 3 * C + C + c];  // channel-major
        vc[(s * T_max + t) * C + c] = inp[(s * T + t) * 3 * C + 2 * C + c];
      }
  for (int t = 0; t < T; ++t) {
    std::vector<double> q(static_cast<size_t>(NS) * 3 * C), out(static_cast<size_t>(NS) * C),
        scores(static_cast<size_t>(NS) * NH * T_max);
    for (int s = 0; s < NS; ++s) std::copy_n(inp.begin() + (s * T + t) * 3 * C, 3 * C, q.begin() + s * 3 * C);
    ops::attention_step_ref(out.data(), scores.data(), q.data(), kc.data(), vc.data(), NS, t, T_max, C, NH,
                            nullptr);
    std::vector<double> expected(static_cast<size_t>(NS) * C);
    for (int s = 0; s < NS; ++s) std::copy_n(full.begin() + (s * T + t) * C, C, expected.begin() + s * C);
    for (size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(out[i], expected[i], 1e-12) << "position " << t;
    auto fq = to_float(q), fk = to_float(kc), fv = to_float(vc);
    std::vector<float> fo(out.size()), fs(scores.size());
    ops::attention_step(fo.data(), fs.data(), fq.data(), fk.data(), fv.data(), NS, t, T_max, C, NH, nullptr);
    expect_close("step", fo, out, 1e-5);
  }
}

TEST(Attention, ShapeChecksNameTheOp) {
  std::vector<float> x(3 * 8 * 4), out(8 * 4), att(64);
  try {
    ops::attention_forward(out.data(), att.data(), x.data(), 1, 4, 8, 3,
                           nullptr);  // 3 heads do not divide 8 channels
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("attention_forward: shape check failed"), std::string::npos)
        << e.what();
  }
}

// The class bias: random classes of 12, a random table and per-head beta.
struct BiasCase {
  BiasCase(int B, int T, int NH, Rng& rng)
      : beta(random_vector(NH, rng)),
        dbeta(NH, 0.0),
        table(random_vector(144, rng)),
        cls(static_cast<size_t>(B) * T) {
    for (auto& c : cls) c = static_cast<uint8_t>(rng.below(12));
  }
  std::vector<double> beta, dbeta, table;
  std::vector<uint8_t> cls;
  ops::ClassBias<double> bias(int T) { return {beta.data(), dbeta.data(), table.data(), 12, cls.data(), T}; }
};

TEST(Attention, ClassBiasGradientsMatchFiniteDifferences) {
  const int B = 2, T = 5, C = 8, NH = 2;
  Rng rng(35);
  BiasCase k(B, T, NH, rng);
  auto inp = random_vector(B * T * 3 * C, rng), r = random_vector(B * T * C, rng);
  auto loss = [&] {
    std::vector<double> out(B * T * C), att(B * NH * T * T);
    const auto bias = k.bias(T);
    ops::attention_forward_ref(out.data(), att.data(), inp.data(), B, T, C, NH, &bias);
    return dot(out, r);
  };
  std::vector<double> out(B * T * C), att(B * NH * T * T), dinp(B * T * 3 * C);
  const auto bias = k.bias(T);
  ops::attention_forward_ref(out.data(), att.data(), inp.data(), B, T, C, NH, &bias);
  ops::attention_backward_ref(dinp.data(), r.data(), inp.data(), att.data(), B, T, C, NH, &bias);
  const std::vector<double> dbeta = k.dbeta;
  expect_gradient_matches("dqkv", inp, dinp, loss, 100000);
  expect_gradient_matches("dbeta", k.beta, dbeta, loss);
}

TEST(Attention, ClassBiasFastMatchesReferenceAndItsStep) {
  const int B = 4, T = 32, C = 32, NH = 4;
  Rng rng(36);
  BiasCase k(B, T, NH, rng);
  const auto inp = random_vector(static_cast<size_t>(B) * T * 3 * C, rng),
             dout = random_vector(static_cast<size_t>(B) * T * C, rng);
  std::vector<double> out(static_cast<size_t>(B) * T * C), att(static_cast<size_t>(B) * NH * T * T),
      dinp(inp.size());
  const auto bias = k.bias(T);
  ops::attention_forward_ref(out.data(), att.data(), inp.data(), B, T, C, NH, &bias);
  ops::attention_backward_ref(dinp.data(), dout.data(), inp.data(), att.data(), B, T, C, NH, &bias);
  auto fi = to_float(inp), fd = to_float(dout), fbeta = to_float(k.beta), ftable = to_float(k.table);
  std::vector<float> fo(out.size()), fa(att.size()), fdi(dinp.size()), fdbeta(NH, 0.0f);
  const ops::ClassBias<float> fbias{fbeta.data(), fdbeta.data(), ftable.data(), 12, k.cls.data(), T};
  ops::attention_forward(fo.data(), fa.data(), fi.data(), B, T, C, NH, &fbias);
  ops::attention_backward(fdi.data(), fd.data(), fi.data(), fa.data(), B, T, C, NH, &fbias);
  expect_close("out", fo, out);
  expect_close("att", fa, att);
  expect_close("dqkv", fdi, dinp);
  expect_close("dbeta", fdbeta, k.dbeta, 1e-4);
  // A decoding step at the last position, with the cached keys, values and classes of sequence 0..B-1.
  const int t = T - 1;
  std::vector<float> q(static_cast<size_t>(B) * 3 * C), kc(static_cast<size_t>(B) * T * C), vc(kc.size());
  for (int b = 0; b < B; ++b) {
    std::copy_n(fi.begin() + (b * T + t) * 3 * C, 3 * C, q.begin() + b * 3 * C);
    for (int u = 0; u < T; ++u) {
      for (int c = 0; c < C; ++c) kc[(b * C + c) * T + u] = fi[(b * T + u) * 3 * C + C + c];  // channel-major
      std::copy_n(fi.begin() + (b * T + u) * 3 * C + 2 * C, C, vc.begin() + (b * T + u) * C);
    }
  }
  std::vector<float> step(static_cast<size_t>(B) * C), scores(static_cast<size_t>(B) * NH * T);
  ops::attention_step(step.data(), scores.data(), q.data(), kc.data(), vc.data(), B, t, T, C, NH, &fbias);
  std::vector<double> last(static_cast<size_t>(B) * C);
  for (int b = 0; b < B; ++b) std::copy_n(out.begin() + (b * T + t) * C, C, last.begin() + b * C);
  expect_close("step", step, last);
}

}  // namespace
}  // namespace cllm::test
