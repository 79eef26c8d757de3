// The vector kernels for generic (compile flags in CMakeLists.txt).
#define CLLM_ISA generic
#define CLLM_ISA_ENUM Generic
#define CLLM_VECTOR_FLOATS 4
#include "kernels/cpu_kernels_impl.h"
