#include "ops/layernorm.h"

#include "op_test_util.h"

namespace cllm::test {
namespace {

constexpr int N = 6, C = 16;

struct LayerNormCase {
  Rng rng{11};
  std::vector<double> inp = random_vector(N * C, rng, 2.0), weight = random_vector(C, rng, 0.5),
                      bias = random_vector(C, rng, 0.5), r = random_vector(N * C, rng);
  double loss() {
    std::vector<double> out(N * C), mean(N), rstd(N);
    ops::layernorm_forward_ref(out.data(), mean.data(), rstd.data(), inp.data(), weight.data(), bias.data(), N, C);
    return dot(out, r);
  }
};

TEST(LayerNorm, ReferenceGradientsMatchFiniteDifferences) {
  LayerNormCase k;
  std::vector<double> out(N * C), mean(N), rstd(N), dinp(N * C), dw(C), db(C);
  ops::layernorm_forward_ref(out.data(), mean.data(), rstd.data(), k.inp.data(), k.weight.data(), k.bias.data(), N, C);
  ops::layernorm_backward_ref(dinp.data(), dw.data(), db.data(), k.r.data(), k.inp.data(), k.weight.data(),
                              mean.data(), rstd.data(), N, C);
  auto loss = [&] { return k.loss(); };
  expect_gradient_matches("dinp", k.inp, dinp, loss);
  expect_gradient_matches("dweight", k.weight, dw, loss);
  expect_gradient_matches("dbias", k.bias, db, loss);
}

TEST(LayerNorm, OutputRowsAreNormalised) {
  LayerNormCase k;
  std::vector<double> ones(C, 1.0), zeros(C, 0.0), out(N * C), mean(N), rstd(N);
  ops::layernorm_forward_ref(out.data(), mean.data(), rstd.data(), k.inp.data(), ones.data(), zeros.data(), N, C);
  for (int n = 0; n < N; ++n) {
    double m = 0, v = 0;
    for (int c = 0; c < C; ++c) m += out[n * C + c];
    m /= C;
    for (int c = 0; c < C; ++c) v += (out[n * C + c] - m) * (out[n * C + c] - m);
    EXPECT_NEAR(m, 0.0, 1e-12);
    EXPECT_NEAR(v / C, 1.0, 1e-4);  // 1 up to eps / var
  }
}

TEST(LayerNorm, FastMatchesReference) {
  // Sizes large enough to take the parallel path.
  const int n = 768, c = 128;
  Rng rng(12);
  auto inp = random_vector(n * c, rng, 3.0), w = random_vector(c, rng), b = random_vector(c, rng),
       dout = random_vector(n * c, rng);
  std::vector<double> out(n * c), mean(n), rstd(n), dinp(n * c), dw(c), db(c);
  ops::layernorm_forward_ref(out.data(), mean.data(), rstd.data(), inp.data(), w.data(), b.data(), n, c);
  ops::layernorm_backward_ref(dinp.data(), dw.data(), db.data(), dout.data(), inp.data(), w.data(), mean.data(),
                              rstd.data(), n, c);
  auto fi = to_float(inp), fw = to_float(w), fb = to_float(b), fd = to_float(dout);
  std::vector<float> fo(n * c), fm(n), fr(n), fdi(n * c), fdw(c), fdb(c);
  ops::layernorm_forward(fo.data(), fm.data(), fr.data(), fi.data(), fw.data(), fb.data(), n, c);
  ops::layernorm_backward(fdi.data(), fdw.data(), fdb.data(), fd.data(), fi.data(), fw.data(), fm.data(), fr.data(),
                          n, c);
  expect_close("out", fo, out);
  expect_close("mean", fm, mean);
  expect_close("rstd", fr, rstd);
  expect_close("dinp", fdi, dinp);
  expect_close("dweight", fdw, dw);
  expect_close("dbias", fdb, db);
}

}  // namespace
}  // namespace cllm::test
