#!/usr/bin/env bash
# README command two: install what is missing, build with warnings as errors, run every test headless.
#   scripts/test.sh              release build in build/
#   scripts/test.sh --sanitize   ASan+UBSan build in build-sanitize/
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cllm_install_packages
dir="$CLLM_ROOT/build" args=(-DCLLM_STRICT_BUILD=ON)
if [ "${1:-}" = "--sanitize" ]; then
  dir="$CLLM_ROOT/build-sanitize"
  args+=(-DCLLM_SANITIZER=address,undefined -DCMAKE_BUILD_TYPE=RelWithDebInfo)
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
fi
cllm_build "$dir" "${args[@]}"
cd "$dir"
ctest --output-on-failure -j "$(nproc)" --timeout 900
