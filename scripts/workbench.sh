#!/usr/bin/env bash
# README command one: install what is missing, build, launch the workbench on the built-in corpus.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cllm_install_packages
cllm_build "$CLLM_ROOT/build"
exec "$CLLM_ROOT/build/app/workbench/cllm-workbench" "$@"
