# Compiler flags shared by every target of the project.
#
# CLLM_ARCH_FLAGS applies to EVERY translation unit: Eigen types change layout with the ISA flags, so
# mixing flags across files that share Eigen types is an ODR violation (a crash, not a warning).

add_library(cllm_build_options INTERFACE)
target_compile_options(cllm_build_options INTERFACE -Wall -Wextra -Wpedantic)
# GCC 12 reports impossible overlaps inside std::string's inlined memcpy at -O3 (GCC PR105329); the
# warning carries no signal on that compiler, so it is off there only.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(cllm_build_options INTERFACE -Wno-restrict)
endif()
if(CLLM_STRICT_BUILD)
  target_compile_options(cllm_build_options INTERFACE -Werror)
endif()

if(CLLM_ARCH_FLAGS)
  separate_arguments(_cllm_arch NATIVE_COMMAND "${CLLM_ARCH_FLAGS}")
  add_compile_options(${_cllm_arch})
endif()

if(CLLM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "CLLM_FUZZ needs clang (libFuzzer): configure with CC=clang CXX=clang++")
  endif()
  if(NOT CLLM_SANITIZER)
    set(CLLM_SANITIZER address,undefined)
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link)  # coverage for the fuzzer, in every engine file
endif()

if(CLLM_SANITIZER)
  add_compile_options(-fsanitize=${CLLM_SANITIZER} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${CLLM_SANITIZER})
  # GCC 12 with the sanitizers' instrumentation reports Boost.Multiprecision's cpp_int limbs as "maybe
  # uninitialized" inside Boost's own headers (a false positive); the release build keeps the warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(cllm_build_options INTERFACE -Wno-maybe-uninitialized)
  endif()
endif()
