#!/usr/bin/env bash
# Refreshes translations/cllm_workbench_de.ts from the sources (new strings arrive unfinished; translate
# them with Qt Linguist or by hand). Project headers only: with Qt's, VTK's and Boost's include paths
# lupdate spends many minutes in system headers that hold no strings of ours.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec /usr/lib/qt6/bin/lupdate -no-obsolete -locations relative -I . -I engine -I app/workbench views app/workbench \
  -ts translations/cllm_workbench_de.ts
