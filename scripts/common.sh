#!/usr/bin/env bash
# Shared by scripts/workbench.sh and scripts/test.sh: install what is missing, then configure and build.
set -euo pipefail

CLLM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Debian 12 packages, each with its reason in README.md ("Dependencies").
CLLM_PACKAGES=(
  build-essential cmake ninja-build git pkg-config
  qt6-base-dev libqt6opengl6-dev qt6-charts-dev qt6-tools-dev qt6-l10n-tools qt6-translations-l10n
  libvtk9-dev libeigen3-dev libboost-dev libprimesieve-dev libfftw3-dev
  libcli11-dev nlohmann-json3-dev libxxhash-dev libopenblas-openmp-dev libdnnl-dev libgtest-dev
  xvfb xauth libgl1-mesa-dri fonts-dejavu-core
)
# Only the test command needs these: clang with its libFuzzer and OpenMP runtime (the engine is built
# again by clang for fuzzing), and llvm-symbolizer for readable reports.
CLLM_TEST_PACKAGES=(clang libclang-rt-14-dev libomp-14-dev llvm-14)

# cllm_install_packages [extra packages...]
cllm_install_packages() {
  local missing=()
  for p in "${CLLM_PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "cllm: installing ${#missing[@]} missing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "cllm: not root and no sudo; install as root: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# cllm_build BUILD_DIR [extra cmake args...]
cllm_build() {
  local dir=$1; shift
  cmake -S "$CLLM_ROOT" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
  cmake --build "$dir" -j "$(nproc)"
}
