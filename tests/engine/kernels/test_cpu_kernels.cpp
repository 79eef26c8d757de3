// Every vector-kernel table this CPU can run (generic, AVX2, AVX-512) against the reference ops computed
// in double: ragged lengths that leave a vector tail, head and matrix sizes that are not a multiple of the
// vector width (the scalar twins), extreme inputs (saturating tanh, large attention scores).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>
#include <vector>

#include "kernels/cpu_kernels.h"
#include "ops/attention.h"
#include "ops/gelu.h"
#include "ops/layernorm.h"
#include "ops/matmul.h"

namespace {

using cllm::kernels::CpuKernels;

std::vector<float> random_vector(size_t n, float scale, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> normal(0.0f, scale);
  std::vector<float> v(n);
  for (auto& x : v) x = normal(gen);
  return v;
}

std::vector<double> to_double(const std::vector<float>& v) {
  return {v.begin(), v.end()};
}

class CpuKernelsTest : public ::testing::TestWithParam<const CpuKernels*> {};

TEST_P(CpuKernelsTest, GeluMatchesReferenceIncludingTailsAndSaturation) {
  const CpuKernels& k = *GetParam();
  for (long n : {1L, 3L, 15L, 16L, 17L, 1000L}) {
    auto x = random_vector(n, 3.0f, 11 + n);
    if (n >= 4) x[0] = 40.0f, x[1] = -40.0f, x[2] = 0.0f, x[3] = 1e-30f;
    const auto dout = random_vector(n, 1.0f, 5);
    std::vector<double> ref(n), dref(n, 0.5);
    cllm::ops::gelu_forward_ref(ref.data(), to_double(x).data(), n);
    cllm::ops::gelu_backward_ref(dref.data(), to_double(x).data(), to_double(dout).data(), n);
    std::vector<float> out(n), din(n, 0.5f);
    k.gelu_forward(out.data(), x.data(), n);
    k.gelu_backward(din.data(), x.data(), dout.data(), n);
    for (long i = 0; i < n; ++i) {
      EXPECT_NEAR(out[i], ref[i], 1e-7 + 1e-6 * std::abs(ref[i])) << k.name << " n=" << n << " x=" << x[i];
      EXPECT_NEAR(din[i], dref[i], 2e-7 + 1e-6 * std::abs(dref[i])) << k.name << " n=" << n << " x=" << x[i];
    }
  }
}

TEST_P(CpuKernelsTest, MatvecRowsMatchesReferenceWithBiasAndStride) {
  const CpuKernels& k = *GetParam();
  for (int M : {1, 3})
    for (int C : {7, 16, 100, 128})
      for (int OC : {1, 5, 65, 259})
        for (bool with_bias : {false, true}) {
          const auto x = random_vector(size_t(M) * C, 1.0f, 1), w = random_vector(size_t(OC) * C, 1.0f, 2),
                     b = random_vector(OC, 1.0f, 3);
          std::vector<double> ref(size_t(M) * OC);
          cllm::ops::matmul_forward_ref(ref.data(), to_double(x).data(), to_double(w).data(),
                                        with_bias ? to_double(b).data() : nullptr, M, C, OC);
          const long ldo = OC + 3;
          std::vector<float> out(size_t(M) * ldo, -7.0f);
          k.matvec_rows(out.data(), ldo, x.data(), w.data(), with_bias ? b.data() : nullptr, M, C, OC);
          for (int m = 0; m < M; ++m) {
            for (int o = 0; o < OC; ++o)
              EXPECT_NEAR(out[m * ldo + o], ref[size_t(m) * OC + o], 1e-5 * std::sqrt(double(C)))
                  << k.name << " M=" << M << " C=" << C << " OC=" << OC;
            for (long o = OC; o < ldo; ++o) EXPECT_EQ(out[m * ldo + o], -7.0f) << "wrote past the row";
          }
        }
}

TEST_P(CpuKernelsTest, AttendOneMatchesReference) {
  const CpuKernels& k = *GetParam();
  for (int hs : {12, 16, 32, 64})
    for (int t : {0, 1, 15, 16, 17, 63, 64, 100})  // whole and partial vectors, and blocks of 4 vectors
      for (bool with_bias : {false, true})
        for (float q_scale : {1.0f, 30.0f}) {  // 30: scores far apart, softmax nearly one-hot
          // Keys channel-major in rows of kt_stride positions (the cache's capacity, beyond t + 1), values
          // in rows of v_stride.
          const long kt_stride = t + 1 + 7, v_stride = 3 * hs + 5;
          const auto q = random_vector(hs, q_scale, 1 + t), kt = random_vector(hs * kt_stride, 1.0f, 2),
                     vc = random_vector((t + 1) * v_stride, 1.0f, 3), bias = random_vector(t + 1, 1.0f, 4);
          std::vector<double> ref(hs), ref_scores(t + 1);
          cllm::ops::attend_one_ref(ref.data(), ref_scores.data(), to_double(q).data(), to_double(kt).data(),
                                    1, kt_stride, to_double(vc).data(), v_stride, t, hs,
                                    with_bias ? to_double(bias).data() : nullptr);
          std::vector<float> out(hs), scores(t + 1);
          k.attend_one(out.data(), scores.data(), q.data(), kt.data(), kt_stride, vc.data(), v_stride, t, hs,
                       with_bias ? bias.data() : nullptr);
          for (int i = 0; i < hs; ++i)
            EXPECT_NEAR(out[i], ref[i], 2e-5) << k.name << " hs=" << hs << " t=" << t;
          // Each score is a float dot product of hs terms, rounded once per term in SSE2's separate multiply
          // and add: its error grows with the size of the scores (q_scale).
          for (int u = 0; u <= t; ++u) EXPECT_NEAR(scores[u], ref_scores[u], 2e-6 * q_scale) << k.name;
        }
}

TEST_P(CpuKernelsTest, CausalAttentionOfAHeadMatchesReference) {
  const CpuKernels& k = *GetParam();
  for (int hs : {12, 16, 32, 64})
    for (int T : {1, 5, 16, 17, 64, 70})
      for (bool with_bias : {false, true}) {
        const int C = hs;  // one head: the reference's q|k|v rows are 3C apart
        const long stride = 3L * C;
        const float scale = 1.0f / std::sqrt(static_cast<float>(hs));
        const auto inp = random_vector(T * stride, 1.0f, 7 + T), bias = random_vector(T * T, 1.0f, 8),
                   dout = random_vector(T * C, 1.0f, 9), dinp0 = random_vector(T * stride, 1.0f, 10);
        const auto in = to_double(inp), d = to_double(dout);
        std::vector<double> out_ref(T * C), att_ref(T * T, 0.0), row(T);
        for (int t = 0; t < T; ++t) {
          for (int u = 0; u <= t; ++u) row[u] = bias[t * T + u];
          cllm::ops::attend_one_ref(out_ref.data() + t * C, att_ref.data() + t * T, in.data() + t * stride,
                                    in.data() + C, stride, 1, in.data() + 2 * C, stride, t, hs,
                                    with_bias ? row.data() : nullptr);
        }
        std::vector<float> work(cllm::kernels::attention_work_floats(T, hs)), out(T * C), att(T * T, 9.0f);
        k.attention_forward(out.data(), C, att.data(), inp.data(), inp.data() + C, inp.data() + 2 * C, stride,
                            T, hs, scale, with_bias ? bias.data() : nullptr, work.data());
        for (int i = 0; i < T * C; ++i)
          ASSERT_NEAR(out[i], out_ref[i], 2e-5) << k.name << " hs=" << hs << " T=" << T;
        for (int i = 0; i < T * T; ++i)
          ASSERT_NEAR(att[i], att_ref[i], 2e-6) << k.name << " hs=" << hs << " T=" << T;

        // Backward from the kernel's own probabilities: the reference's gradients (bias-free: the bias only
        // shifts the scores, which att already holds), and ds = att (datt - sum att datt).
        const auto att_d = to_double(att);
        std::vector<double> dinp_ref = to_double(dinp0), ds_ref(T * T, 0.0);
        cllm::ops::attention_backward_ref<double>(dinp_ref.data(), d.data(), in.data(), att_d.data(), 1, T, C,
                                                  1, nullptr);
        for (int t = 0; t < T; ++t) {
          std::vector<double> datt(t + 1);
          double weighted = 0;
          for (int u = 0; u <= t; ++u) {
            for (int i = 0; i < hs; ++i) datt[u] += d[t * C + i] * in[u * stride + 2 * C + i];
            weighted += att_d[t * T + u] * datt[u];
          }
          for (int u = 0; u <= t; ++u) ds_ref[t * T + u] = att_d[t * T + u] * (datt[u] - weighted);
        }
        std::vector<float> dinp = dinp0, ds(T * T, 9.0f);
        k.attention_backward(dinp.data(), dinp.data() + C, dinp.data() + 2 * C, ds.data(), dout.data(), C,
                             att.data(), inp.data(), inp.data() + C, inp.data() + 2 * C, stride, T, hs, scale,
                             work.data());
        for (int i = 0; i < T * stride; ++i)
          ASSERT_NEAR(dinp[i], dinp_ref[i], 1e-4) << k.name << " hs=" << hs << " T=" << T << " i=" << i;
        for (int i = 0; i < T * T; ++i)
          ASSERT_NEAR(ds[i], ds_ref[i], 2e-5) << k.name << " hs=" << hs << " T=" << T;
        // Without ds (no bias to train) the gradients are the same.
        std::vector<float> dinp_no_ds = dinp0;
        k.attention_backward(dinp_no_ds.data(), dinp_no_ds.data() + C, dinp_no_ds.data() + 2 * C, nullptr,
                             dout.data(), C, att.data(), inp.data(), inp.data() + C, inp.data() + 2 * C,
                             stride, T, hs, scale, work.data());
        ASSERT_EQ(dinp_no_ds, dinp) << k.name << " hs=" << hs << " T=" << T;
      }
}

TEST_P(CpuKernelsTest, SumSquaresIsTheDoubleSum) {
  const CpuKernels& k = *GetParam();
  for (long n : {0L, 1L, 7L, 31L, 33L, 1000L, 100003L}) {
    const auto x = random_vector(n, 3.0f, 11);
    double expected = 0;
    for (float v : x) expected += static_cast<double>(v) * v;
    EXPECT_NEAR(k.sum_squares(x.data(), n), expected, 1e-13 * expected) << k.name << " n=" << n;
  }
}

TEST_P(CpuKernelsTest, SumExpMatchesDoubleSumOverLongRuns) {
  const CpuKernels& k = *GetParam();
  for (long n : {1L, 7L, 16L, 1000L, 40000L}) {
    auto x = random_vector(n, 4.0f, 9 + n);
    float shift = x[0];
    for (float v : x) shift = std::max(shift, v);
    double ref = 0;
    for (float v : x) ref += std::exp(double(v) - shift);
    EXPECT_NEAR(k.sum_exp(x.data(), n, shift), ref, 1e-6 * ref) << k.name << " n=" << n;
  }
  const float far[3] = {0.0f, -100.0f, -1e30f};  // underflowing terms add (almost) nothing, never NaN
  EXPECT_NEAR(k.sum_exp(far, 3, 0.0f), 1.0, 1e-6) << k.name;
}

TEST_P(CpuKernelsTest, ArgmaxFindsTheFirstLargestAndSkipsNaN) {
  const CpuKernels& k = *GetParam();
  for (long n : {1L, 5L, 16L, 17L, 100L, 8192L, 8195L}) {
    // Values on a coarse grid, so the maximum occurs several times and the first must be found.
    auto x = random_vector(n, 3.0f, 21 + n);
    for (auto& v : x) v = std::round(v);
    const long expected = std::max_element(x.begin(), x.end()) - x.begin();
    EXPECT_EQ(k.argmax(x.data(), n), expected) << k.name << " n=" << n;
    // The maximum moved into the scalar tail, or to the very last position.
    x[n - 1] = 100.0f;
    EXPECT_EQ(k.argmax(x.data(), n), n - 1) << k.name << " n=" << n;
    if (n >= 3) {
      x[1] = std::nanf("");
      x[2] = 100.0f;
      EXPECT_EQ(k.argmax(x.data(), n), 2) << k.name << " n=" << n;
    }
  }
}

TEST_P(CpuKernelsTest, LayerNormRowsMatchReference) {
  const CpuKernels& k = *GetParam();
  for (int C : {2, 5, 16, 64, 100, 384}) {
    const auto x = random_vector(C, 2.0f, C), w = random_vector(C, 1.0f, 2), b = random_vector(C, 1.0f, 3),
               dout = random_vector(C, 1.0f, 4);
    const auto xd = to_double(x), wd = to_double(w), bd = to_double(b);
    std::vector<double> ref(C), dx_ref(C, 0.25), dw_ref(C, 0.5), db_ref(C, -0.5);
    double mean_ref, rstd_ref;
    cllm::ops::layernorm_forward_ref(ref.data(), &mean_ref, &rstd_ref, xd.data(), wd.data(), bd.data(), 1, C);
    cllm::ops::layernorm_backward_ref(dx_ref.data(), dw_ref.data(), db_ref.data(), to_double(dout).data(),
                                      xd.data(), wd.data(), &mean_ref, &rstd_ref, 1, C);
    std::vector<float> out(C), dx(C, 0.25f), dw(C, 0.5f), db(C, -0.5f);
    float mean, rstd;
    k.layernorm_forward_row(out.data(), &mean, &rstd, x.data(), w.data(), b.data(), C,
                            static_cast<float>(cllm::ops::kLayerNormEps));
    EXPECT_NEAR(mean, mean_ref, 1e-6) << k.name << " C=" << C;
    EXPECT_NEAR(rstd, rstd_ref, 1e-5 * rstd_ref) << k.name << " C=" << C;
    k.layernorm_backward_row(dx.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), mean, rstd, C);
    for (int c = 0; c < C; ++c) {
      EXPECT_NEAR(out[c], ref[c], 1e-5) << k.name << " C=" << C;
      EXPECT_NEAR(dx[c], dx_ref[c], 1e-5) << k.name << " C=" << C;
      EXPECT_NEAR(dw[c], dw_ref[c], 1e-5) << k.name << " C=" << C;
      EXPECT_NEAR(db[c], db_ref[c], 1e-6) << k.name << " C=" << C;
    }
  }
}

TEST_P(CpuKernelsTest, AdamWMatchesTheScalarUpdate) {
  const CpuKernels& k = *GetParam();
  const float b1 = 0.9f, b2 = 0.99f, eps = 1e-8f, decay_factor = 1.0f - 1e-3f * 0.1f,
              step_size = 1e-3f / 0.1f, inv_sqrt_c2 = 1.0f / std::sqrt(0.0199f);
  for (long n : {1L, 15L, 16L, 33L, 1000L}) {
    auto p = random_vector(n, 1.0f, 1), m = random_vector(n, 0.1f, 3), v = random_vector(n, 0.1f, 4);
    const auto g = random_vector(n, 1.0f, 2);
    for (auto& x : v) x = x * x;  // second moments are never negative
    std::vector<unsigned char> decay(n);
    for (long i = 0; i < n; ++i) decay[i] = i % 3 != 0;
    auto p_ref = p, m_ref = m, v_ref = v;
    for (long i = 0; i < n; ++i) {
      m_ref[i] = b1 * m_ref[i] + (1.0f - b1) * g[i];
      v_ref[i] = b2 * v_ref[i] + (1.0f - b2) * g[i] * g[i];
      const float decayed = decay[i] ? p_ref[i] * decay_factor : p_ref[i];
      p_ref[i] = decayed - step_size * m_ref[i] / (std::sqrt(v_ref[i]) * inv_sqrt_c2 + eps);
    }
    k.adamw(p.data(), g.data(), m.data(), v.data(), decay.data(), n, b1, b2, eps, decay_factor, step_size,
            inv_sqrt_c2);
    for (long i = 0; i < n; ++i) {
      EXPECT_NEAR(m[i], m_ref[i], 1e-6f * (1 + std::abs(m_ref[i]))) << k.name << " n=" << n;
      EXPECT_NEAR(v[i], v_ref[i], 1e-6f * (1 + std::abs(v_ref[i]))) << k.name << " n=" << n;
      EXPECT_NEAR(p[i], p_ref[i], 1e-6f * (1 + std::abs(p_ref[i])))
          << k.name << " n=" << n << " decay " << int(decay[i]);
    }
  }
}

TEST_P(CpuKernelsTest, ScaledExpMatchesDouble) {
  const CpuKernels& k = *GetParam();
  for (long n : {1L, 5L, 16L, 65L, 8192L}) {
    auto x = random_vector(n, 5.0f, 17 + n);
    const float shift = 6.5f, scale = 0.375f;
    std::vector<float> out(n + 1, -1.0f);  // the float after the n must stay untouched
    k.scaled_exp(out.data(), x.data(), n, shift, scale);
    for (long i = 0; i < n; ++i) {
      const double expected = scale * std::exp(double(x[i] - shift));  // the difference rounded as in float
      EXPECT_NEAR(out[i], expected, 5e-7 * expected) << k.name << " n=" << n << " i=" << i;
    }
    EXPECT_EQ(out[n], -1.0f) << k.name << " n=" << n;
    k.scaled_exp(x.data(), x.data(), n, shift, scale);  // in place
    x.push_back(-1.0f);
    EXPECT_EQ(x, out) << k.name << " n=" << n;
  }
}

std::string table_name(const ::testing::TestParamInfo<const CpuKernels*>& info) {
  return info.param->name;
}

INSTANTIATE_TEST_SUITE_P(EverySupportedIsa, CpuKernelsTest,
                         ::testing::ValuesIn(cllm::kernels::supported_cpu_kernels()), table_name);

TEST(CpuKernels, ChoosesTheWidestSupportedTable) {
  const auto tables = cllm::kernels::supported_cpu_kernels();
  ASSERT_FALSE(tables.empty());
  EXPECT_STREQ(tables.front()->name, "generic");
  EXPECT_EQ(&cllm::kernels::cpu_kernels(), tables.back());
}

}  // namespace
