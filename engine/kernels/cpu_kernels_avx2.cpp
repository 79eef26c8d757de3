// The vector kernels for avx2 (compile flags in CMakeLists.txt).
#define CLLM_ISA avx2
#define CLLM_ISA_ENUM Avx2
#define CLLM_VECTOR_FLOATS 8
#include "kernels/cpu_kernels_impl.h"
