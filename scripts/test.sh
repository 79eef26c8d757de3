#!/usr/bin/env bash
# README command two: install what is missing, build with warnings as errors, run every test headless.
#   scripts/test.sh              release build in build/, all its tests; then the fuzz targets (clang,
#                                build-fuzz/), each fuzzing for 60 s (label fuzz)
#   scripts/test.sh --sanitize   ASan+UBSan build in build-sanitize/
#   scripts/test.sh --tsan       ThreadSanitizer build (clang, OpenMP checked by Archer) in build-tsan/
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cllm_install_packages "${CLLM_TEST_PACKAGES[@]}"
mode=${1:-}
dir="$CLLM_ROOT/build" args=(-DCLLM_STRICT_BUILD=ON)
if [ "$mode" = "--sanitize" ]; then
  dir="$CLLM_ROOT/build-sanitize"
  args+=(-DCLLM_SANITIZER=address,undefined -DCMAKE_BUILD_TYPE=RelWithDebInfo)
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
elif [ "$mode" = "--tsan" ]; then
  # Built by clang so that OpenMP is LLVM's libomp, whose Archer tool tells TSan about its forks and
  # barriers (GCC's libgomp is not instrumented: every parallel loop would be reported as a race).
  # Accesses inside libraries built without TSan (Qt, OpenBLAS, oneDNN) are ignored, as Archer's
  # documentation advises; the hand-offs inside Qt that TSan therefore cannot see are in tests/tsan.supp.
  dir="$CLLM_ROOT/build-tsan"
  export CC=clang CXX=clang++
  args=(-DCLLM_SANITIZER=thread -DCMAKE_BUILD_TYPE=RelWithDebInfo)
  export OMP_TOOL_LIBRARIES=/usr/lib/llvm-14/lib/libarcher.so
  export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 ignore_noninstrumented_modules=1 suppressions=$CLLM_ROOT/tests/tsan.supp"
fi
cllm_build "$dir" "${args[@]}"
(cd "$dir" && ctest --output-on-failure -j "$(nproc)" --timeout 900)
[ -n "$mode" ] && exit 0

# The loaders under libFuzzer: the engine again, built by clang with coverage, ASan and UBSan.
CC=clang CXX=clang++ cmake -S "$CLLM_ROOT" -B "$CLLM_ROOT/build-fuzz" -G Ninja -DCLLM_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$CLLM_ROOT/build-fuzz" -j "$(nproc)" --target fuzz_targets
cd "$CLLM_ROOT/build-fuzz"
ctest --output-on-failure -j "$(nproc)" -L fuzz
# Executions and coverage of each fuzz run, for the log.
grep -hE '^#[0-9]+[[:space:]]+DONE' Testing/Temporary/LastTest.log || true
