#include "kernels/gemm_bf16.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <map>
#include <tuple>
#include <vector>

#include "kernels/cpu_kernels.h"
#include "kernels/parallel.h"
#include "util/error.h"

namespace cllm::kernels {
namespace {

using dnnl::memory;

// A primitive takes 0.2-0.6 ms to create, far more than most products: one per distinct product,
// kept per thread (a training run uses a dozen shapes; a long-lived worker thread that trains many
// models forgets them all past kMaxProducts rather than growing without bound).
constexpr size_t kMaxProducts = 256;
using Key = std::tuple<bool, bool, int, int, int, int, float, float>;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// op(X) for X stored with `rows` rows of `cols` values `ld` apart, rounded to bfloat16 and packed (ld =
// cols) into `out`.
void round_rows(std::vector<uint16_t>& out, const float* x, int rows, int cols, int ld) {
  out.resize(static_cast<size_t>(rows) * cols);
  const auto& k = cpu_kernels();
  uint16_t* packed = out.data();
  parallel_for(rows, static_cast<long>(rows) * cols / 4,
               [&](long r) { k.to_bf16(packed + r * cols, x + r * ld, cols); });
}

struct Product {
  dnnl::matmul matmul;
  memory::desc a, b, c;
};

Product make_product(const Key& key) {
  const auto [ta, tb, M, N, K, ldc, alpha, beta] = key;
  using dt = memory::data_type;
  // Packed operands: op(A) [M,K] is A [M,K] row-major or A^T with A stored [K,M]; likewise op(B) [K,N].
  const memory::desc a({M, K}, dt::bf16, ta ? memory::dims{1, M} : memory::dims{K, 1});
  const memory::desc b({K, N}, dt::bf16, tb ? memory::dims{1, K} : memory::dims{N, 1});
  const memory::desc c({M, N}, dt::f32, memory::dims{ldc, 1});
  dnnl::primitive_attr attr;
  if (alpha != 1.0f) attr.set_output_scales(0, {alpha});
  if (beta != 0.0f) {
    dnnl::post_ops ops;
    ops.append_sum(beta);
    attr.set_post_ops(ops);
  }
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a, b, c), attr, cpu_engine());
  return {dnnl::matmul(pd), a, b, c};
}

}  // namespace

void gemm_bf16(bool trans_a, bool trans_b, int M, int N, int K, float alpha, const float* A, int lda,
               const float* B, int ldb, float beta, float* C, int ldc) {
  thread_local std::map<Key, Product> products;
  thread_local std::vector<uint16_t> a16, b16;
  thread_local dnnl::stream stream(cpu_engine());
  const Key key{trans_a, trans_b, M, N, K, ldc, alpha, beta};
  auto it = products.find(key);
  try {
    if (it == products.end()) {
      if (products.size() >= kMaxProducts) products.clear();
      it = products.emplace(key, make_product(key)).first;
    }
    round_rows(a16, A, trans_a ? K : M, trans_a ? M : K, lda);
    round_rows(b16, B, trans_b ? N : K, trans_b ? K : N, ldb);
    const Product& p = it->second;
    const memory a(p.a, cpu_engine(), a16.data()), b(p.b, cpu_engine(), b16.data()), c(p.c, cpu_engine(), C);
    p.matmul.execute(stream, {{DNNL_ARG_SRC, a}, {DNNL_ARG_WEIGHTS, b}, {DNNL_ARG_DST, c}});
    stream.wait();
  } catch (const dnnl::error& e) {
    throw Error("internal error: bfloat16 product " + std::to_string(M) + "x" + std::to_string(N) + "x" +
                std::to_string(K) + " failed in oneDNN: " + e.what());
  }
}

}  // namespace cllm::kernels
