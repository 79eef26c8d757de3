# Every external package, found once, in one place. Each has a reason in README.md ("Dependencies").

find_package(OpenMP REQUIRED COMPONENTS CXX)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(Boost 1.74 REQUIRED)               # header-only: Multiprecision
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(primesieve 11 REQUIRED)            # primesieve::primesieve: p_k and pi(x)

# xxHash (XXH3 checksums in checkpoints) ships a pkg-config file only.
find_package(PkgConfig REQUIRED)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)
# FFTW (single precision): the damped Fourier mixer's causal convolutions in O(T log T).
pkg_check_modules(FFTW3F REQUIRED IMPORTED_TARGET fftw3f)

# OpenBLAS, the OpenMP build: it shares libgomp with our own parallel loops, so one runtime owns all
# threads (the pthread build oversubscribes when called from OpenMP regions).
find_path(CLLM_CBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas-openmp REQUIRED)
find_library(CLLM_OPENBLAS_LIBRARY openblas PATH_SUFFIXES openblas-openmp REQUIRED)
add_library(cllm_openblas INTERFACE)
target_include_directories(cllm_openblas SYSTEM INTERFACE ${CLLM_CBLAS_INCLUDE_DIR})
target_link_libraries(cllm_openblas INTERFACE ${CLLM_OPENBLAS_LIBRARY})

# oneDNN: the default backend of the float32 matrix products (kernels/gemm.h); Debian builds it on libgomp,
# the same OpenMP runtime as ours. Found by hand: Debian's dnnl-config.cmake insists on OpenCL development
# files, which the CPU library does not need.
find_path(CLLM_DNNL_INCLUDE_DIR dnnl.h REQUIRED)
find_library(CLLM_DNNL_LIBRARY dnnl REQUIRED)
add_library(cllm_dnnl INTERFACE)
target_include_directories(cllm_dnnl SYSTEM INTERFACE ${CLLM_DNNL_INCLUDE_DIR})
target_link_libraries(cllm_dnnl INTERFACE ${CLLM_DNNL_LIBRARY})

if(CLLM_BUILD_GUI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Concurrent Gui Widgets OpenGL OpenGLWidgets Charts Test LinguistTools)
  # Debian's VTK 9.1 resolves MPI::MPI_C while loading InteractionStyle; find it first.
  find_package(MPI REQUIRED COMPONENTS C)
  # Components must be listed: without them Debian's VTK looks for its Qt 5 module and fails.
  find_package(VTK 9.1 REQUIRED COMPONENTS
    CommonCore CommonDataModel FiltersCore FiltersSources RenderingCore RenderingOpenGL2
    RenderingFreeType RenderingAnnotation InteractionStyle InteractionWidgets)
endif()

if(CLLM_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
