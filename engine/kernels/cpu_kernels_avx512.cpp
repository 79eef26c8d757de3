// The vector kernels for avx512 (compile flags in CMakeLists.txt).
#define CLLM_ISA avx512
#define CLLM_ISA_ENUM Avx512
#define CLLM_VECTOR_FLOATS 16
#include "kernels/cpu_kernels_impl.h"
