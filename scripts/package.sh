#!/usr/bin/env bash
# The Debian package: install what is missing, build (release), then `cpack -G DEB` in build/.
# Writes build/cllm_<version>_amd64.deb; install it with `sudo apt install ./build/cllm_*.deb`.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cllm_install_packages
cllm_build "$CLLM_ROOT/build"
cd "$CLLM_ROOT/build"
cpack -G DEB
ls -l "$CLLM_ROOT"/build/cllm_*.deb
