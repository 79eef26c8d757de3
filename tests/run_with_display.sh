#!/usr/bin/env bash
# Runs a GUI test on the current X display, or on a private Xvfb when there is none (CI, ctest -j).
# QOpenGLWidget needs a real GL platform: Qt's offscreen platform crashes, so GUI tests use xcb + Mesa.
set -euo pipefail
tmp=$(mktemp -d)
chmod 700 "$tmp"
export XDG_RUNTIME_DIR="$tmp" QT_QPA_PLATFORM=xcb LIBGL_ALWAYS_SOFTWARE=1
xvfb_pid=
cleanup() {
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
if [ -z "${DISPLAY:-}" ]; then
  command -v Xvfb >/dev/null || { echo "run_with_display: no DISPLAY and no Xvfb (apt-get install xvfb)" >&2; exit 1; }
  Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
  xvfb_pid=$!
  for _ in $(seq 300); do
    [ -s "$tmp/display" ] && break
    kill -0 "$xvfb_pid" 2>/dev/null || { cat "$tmp/xvfb.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -s "$tmp/display" ] || { echo "run_with_display: Xvfb did not start" >&2; exit 1; }
  export DISPLAY=":$(head -n1 "$tmp/display")"
fi
"$@"
