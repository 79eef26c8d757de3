#include "ops/matmul.h"

#include "op_test_util.h"

namespace cllm::test {
namespace {

TEST(Matmul, ReferenceGradientsMatchFiniteDifferences) {
  const int N = 5, C = 7, OC = 6;
  Rng rng(21);
  auto inp = random_vector(N * C, rng), w = random_vector(OC * C, rng), b = random_vector(OC, rng),
       r = random_vector(N * OC, rng);
  auto loss = [&] {
    std::vector<double> out(N * OC);
    ops::matmul_forward_ref(out.data(), inp.data(), w.data(), b.data(), N, C, OC);
    return dot(out, r);
  };
  std::vector<double> dinp(N * C), dw(OC * C), db(OC);
  ops::matmul_backward_ref(dinp.data(), dw.data(), db.data(), r.data(), inp.data(), w.data(), N, C, OC);
  expect_gradient_matches("dinp", inp, dinp, loss);
  expect_gradient_matches("dweight", w, dw, loss);
  expect_gradient_matches("dbias", b, db, loss);
}

TEST(Matmul, ForwardIsTheHandComputedProduct) {
  // [1 2; 3 4] @ [[1 0],[1 1],[0 2]]^T + [0.5 0 -1]
  const std::vector<double> inp = {1, 2, 3, 4}, w = {1, 0, 1, 1, 0, 2}, b = {0.5, 0, -1};
  std::vector<double> out(6);
  ops::matmul_forward_ref(out.data(), inp.data(), w.data(), b.data(), 2, 2, 3);
  EXPECT_EQ(out, (std::vector<double>{1.5, 3, 3, 3.5, 7, 7}));
  std::vector<float> fout(6);
  auto fi = to_float(inp), fw = to_float(w), fb = to_float(b);
  ops::matmul_forward(fout.data(), fi.data(), fw.data(), fb.data(), 2, 2, 3);
  EXPECT_EQ(fout, (std::vector<float>{1.5f, 3, 3, 3.5f, 7, 7}));
}

// The shapes of a real step: the lm head (no bias, odd vocabulary), qkv and the MLP.
struct Shape {
  int N, C, OC;
  bool bias;
};
class MatmulShapes : public ::testing::TestWithParam<Shape> {};

TEST_P(MatmulShapes, FastMatchesReference) {
  const auto [N, C, OC, has_bias] = GetParam();
  Rng rng(22 + OC);
  auto inp = random_vector(static_cast<size_t>(N) * C, rng), w = random_vector(static_cast<size_t>(OC) * C, rng, 0.1),
       b = random_vector(OC, rng), dout = random_vector(static_cast<size_t>(N) * OC, rng),
       dinp0 = random_vector(static_cast<size_t>(N) * C, rng), dw0 = random_vector(static_cast<size_t>(OC) * C, rng),
       db0 = random_vector(OC, rng);
  std::vector<double> out(static_cast<size_t>(N) * OC), dinp = dinp0, dw = dw0, db = db0;
  const double* bias = has_bias ? b.data() : nullptr;
  ops::matmul_forward_ref(out.data(), inp.data(), w.data(), bias, N, C, OC);
  ops::matmul_backward_ref(dinp.data(), dw.data(), has_bias ? db.data() : nullptr, dout.data(), inp.data(), w.data(), N,
                           C, OC);
  auto fi = to_float(inp), fw = to_float(w), fb = to_float(b), fd = to_float(dout), fdi = to_float(dinp0),
       fdw = to_float(dw0), fdb = to_float(db0);
  std::vector<float> fo(static_cast<size_t>(N) * OC);
  ops::matmul_forward(fo.data(), fi.data(), fw.data(), has_bias ? fb.data() : nullptr, N, C, OC);
  // Backward accumulates into existing gradients: start from the same non-zero values.
  ops::matmul_backward(fdi.data(), fdw.data(), has_bias ? fdb.data() : nullptr, fd.data(), fi.data(), fw.data(), N, C,
                       OC);
  expect_close("out", fo, out);
  expect_close("dinp", fdi, dinp);
  expect_close("dweight", fdw, dw);
  if (has_bias) expect_close("dbias", fdb, db);
}

INSTANTIATE_TEST_SUITE_P(StepShapes, MatmulShapes,
                         ::testing::Values(Shape{768, 128, 384, true}, Shape{768, 128, 512, true},
                                           Shape{768, 512, 128, true}, Shape{768, 128, 65, false},
                                           Shape{1, 64, 192, true}, Shape{3, 5, 7, true}));

}  // namespace
}  // namespace cllm::test
