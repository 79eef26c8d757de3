#include "kernels/cpu_kernels.h"

#include <cpuid.h>

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

// CPUID leaf 7: sub-leaf 1 EAX bit 5 is AVX512_BF16, sub-leaf 0 EDX bit 22 is AMX-BF16.
bool has_avx512_bf16() {
  unsigned a, b, c, d;
  return has_avx512() && __get_cpuid_count(7, 1, &a, &b, &c, &d) && (a >> 5 & 1);
}

bool has_amx_bf16() {
  unsigned a, b, c, d;
  return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (d >> 22 & 1);
}

}  // namespace

bool cpu_has_bf16() {
  return has_avx512_bf16() || has_amx_bf16();
}

const char* cpu_bf16_description() {
  if (has_amx_bf16()) return has_avx512_bf16() ? "AMX-BF16 and AVX512_BF16" : "AMX-BF16";
  return has_avx512_bf16() ? "AVX512_BF16" : "neither AVX512_BF16 nor AMX";
}

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
