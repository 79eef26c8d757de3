#include "ops/classifier.h"

#include <algorithm>

#include "kernels/cpu_kernels.h"
#include "kernels/gemm.h"
#include "kernels/parallel.h"

namespace cllm::ops {

namespace {

// A slice of vocabulary columns whose N x slice gradients fill at most half of a 1 MB L2 cache: measured
// with two threads at N = 384 (one shard of `small`), slices of 256-512 columns ran the head's backward
// 1.08x faster than whole rows at vocabulary 8192 and 1.25x at 32768; much wider slices lost the gain.
// Only for products on the calling thread (training shards, one thread): when the library's threads split
// each product, a fork per slice cost more than the cache saved (0.94x at batch 1, vocabulary 32768).
constexpr long kSliceFloats = 128 * 1024;

// The columns of a slice when the op works through slices.
int slice_columns(int N, int V) {
  return static_cast<int>(std::clamp<long>(kSliceFloats / N / 16 * 16, 16, V));
}

}  // namespace

long classifier_scratch_floats(int N, int V) {
  return static_cast<long>(N) * slice_columns(N, V);
}

void classifier_backward(float* din, float* dtable, float* scratch, float* logits, const float* lse,
                         const int32_t* targets, const float* in, const float* table, int N, int C, int V,
                         float loss_scale) {
  CLLM_CHECK_SHAPE("classifier_backward", N >= 1 && C >= 1 && V >= 1);
  // Whole rows when the library's threads split each product, or when one slice is the whole vocabulary:
  // then the gradients replace the logits in place.
  const int slice = kernels::openmp_threads_available() ? V : slice_columns(N, V);
  float* const dlogits = slice == V ? logits : scratch;
  const float scale = loss_scale / static_cast<float>(N);
  for (int v0 = 0; v0 < V; v0 += slice) {
    const int vn = std::min(slice, V - v0);
    // dlogits[:, v0:v0+vn] (rows `slice` floats apart), then both products read it from cache.
    kernels::parallel_for(N, static_cast<long>(N) * vn * 4, [&](long n) {
      float* d = dlogits + n * slice;
      kernels::cpu_kernels().scaled_exp(d, logits + n * V + v0, vn, lse[n], scale);
      const int t = targets[n] - v0;
      if (t >= 0 && t < vn) d[t] -= scale;
    });
    kernels::sgemm(false, false, N, C, vn, 1.0f, dlogits, slice, table + static_cast<long>(v0) * C, C,
                   v0 == 0 ? 0.0f : 1.0f, din, C);
    kernels::sgemm(true, false, vn, C, N, 1.0f, dlogits, slice, in, C, 1.0f,
                   dtable + static_cast<long>(v0) * C, C);
  }
}

}  // namespace cllm::ops
