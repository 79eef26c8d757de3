#include "kernels/cpu_kernels.h"

namespace cllm::kernels {

// Defined by the per-ISA files.
namespace generic {
extern const CpuKernels table;
}
namespace avx2 {
extern const CpuKernels table;
}
namespace avx512 {
extern const CpuKernels table;
}

namespace {

bool has_avx2() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

bool has_avx512() {
  return has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
}

}  // namespace

std::vector<const CpuKernels*> supported_cpu_kernels() {
  std::vector<const CpuKernels*> tables{&generic::table};
  if (has_avx2()) tables.push_back(&avx2::table);
  if (has_avx512()) tables.push_back(&avx512::table);
  return tables;
}

const CpuKernels& cpu_kernels() {
  static const CpuKernels& best = *supported_cpu_kernels().back();
  return best;
}

}  // namespace cllm::kernels
