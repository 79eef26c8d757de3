#!/usr/bin/env bash
# Batch-1 KV-cache generation speed of `cllm bench` (its "generate" job) against karpathy's llama2.c
# run.c at the same shape, measured in one invocation on this machine.
#
# usage: bench/compare_llama2c.sh [options] [LLAMA2C_DIR]
#
#   LLAMA2C_DIR          a llama2.c checkout holding run.c (or set LLAMA2C_DIR); get one with
#                        git clone https://github.com/karpathy/llama2.c
#   --vocab V            vocabulary size of both models (default 65; 8192 is the other usual one)
#   --repeats R          timed runs per side and thread count; medians are reported (default 5)
#   --threads "1 2"      thread counts to measure (default "1 2")
#   --cllm PATH          the cllm binary (default build/app/cli/cllm of this repository)
#   --hidden-dim H       llama2.c SwiGLU width (default 8*C/3 rounded up to a multiple of 8: 344)
#   --workdir DIR        build run.c and write the checkpoint in DIR and keep them (default: a temporary
#                        directory, removed at exit)
#
# Shape: cllm preset "small" (width 128, 4 layers, 4 heads) with a 256-token block; llama2.c gets the
# same width, layers, heads, vocabulary and seq_len 256, a tied classifier like cllm's, and random
# weights (timing does not depend on their values). Both sides time 255 forward passes and report 255
# tokens per run; the output spells out what each side counts. Run it on a quiet machine: the two
# sides run one after the other, not interleaved.

set -euo pipefail

usage() { sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
vocab=65
repeats=5
threads="1 2"
cllm="$repo/build/app/cli/cllm"
hidden=""
workdir=""
llama2c="${LLAMA2C_DIR:-}"

while (($#)); do
  case "$1" in
    --vocab) vocab=${2:?--vocab needs a value}; shift 2 ;;
    --repeats) repeats=${2:?--repeats needs a value}; shift 2 ;;
    --threads) threads=${2:?--threads needs a value}; shift 2 ;;
    --cllm) cllm=${2:?--cllm needs a value}; shift 2 ;;
    --hidden-dim) hidden=${2:?--hidden-dim needs a value}; shift 2 ;;
    --workdir) workdir=${2:?--workdir needs a value}; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "compare_llama2c.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) llama2c=$1; shift ;;
  esac
done

is_count() { [[ $1 =~ ^[1-9][0-9]*$ ]]; }
is_count "$vocab" || { echo "--vocab must be a positive integer" >&2; exit 2; }
is_count "$repeats" || { echo "--repeats must be a positive integer" >&2; exit 2; }
for n in $threads; do is_count "$n" || { echo "--threads takes positive integers, got '$n'" >&2; exit 2; }; done
[[ -z $hidden ]] || is_count "$hidden" || { echo "--hidden-dim must be a positive integer" >&2; exit 2; }

# The internet may be unavailable here, so llama2.c is never downloaded by this script.
if [[ -z $llama2c || ! -f $llama2c/run.c ]]; then
  echo "compare_llama2c.sh: need a llama2.c checkout with run.c (argument or LLAMA2C_DIR), got '${llama2c}'" >&2
  echo "  get it with: git clone https://github.com/karpathy/llama2.c" >&2
  echo "  then:        $0 path/to/llama2.c" >&2
  exit 2
fi
llama2c=$(cd "$llama2c" && pwd)
[[ -x $cllm ]] || { echo "compare_llama2c.sh: no cllm binary at $cllm (build the repository or pass --cllm)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "compare_llama2c.sh: python3 is required" >&2; exit 2; }

# Shape of cllm's preset "small" at a 256-token block; checked against cllm's own JSON below.
preset=small dim=128 layers=4 heads=4 block=256
# SwiGLU has three C x h matrices, cllm's GELU MLP two C x 4C ones: h = 8C/3 gives the same weights and
# FLOPs; rounded up to a multiple of 8 for whole SIMD vectors (llama2.c's model.py rounds the same way).
hidden=${hidden:-$(((8 * dim / 3 + 7) / 8 * 8))}
# run.c's -n counts every forward pass including the prompt's (here one BOS token) and excludes the
# first from its timer; cllm's generate job makes block-1 tokens from a one-token prompt.
steps=$block
new_tokens=$((block - 1))

# Temporary files live outside the repository; keep them only when asked to.
if [[ -n $workdir ]]; then
  mkdir -p "$workdir"
  work=$(cd "$workdir" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/cllm-llama2c.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

# The build the comparison asks for: llama2.c's own recommended fast build, with OpenMP.
cc=${CC:-gcc}
run_flags="-Ofast -march=native -fopenmp"
# shellcheck disable=SC2086  # run_flags is a word list on purpose
"$cc" $run_flags "$llama2c/run.c" -lm -o "$work/run"

shape_json=$(python3 "$repo/bench/llama2c_checkpoint.py" "$work" --dim "$dim" --hidden-dim "$hidden" \
  --layers "$layers" --heads "$heads" --vocab "$vocab" --seq-len "$block")
json_field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
llama_params=$(json_field "$shape_json" parameters)
token_width=$(json_field "$shape_json" token_width)

# One cllm bench run per thread count, of its generate job only.
cllm_generate() { # threads -> "median min max parameters gemm isa" of the generate job
  local n=$1 out=$work/cllm_$1.json
  OMP_NUM_THREADS=$n "$cllm" bench --preset "$preset" --block "$block" --vocab "$vocab" --no-reference \
    --threads "$n" --repeats "$repeats" --batch 1 --job generate --json >"$out"
  python3 - "$out" "$dim" "$layers" "$heads" "$vocab" "$block" "$new_tokens" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
m = d["model"]
want = [int(x) for x in sys.argv[2:8]]
got = [m["n_embd"], m["n_layer"], m["n_head"], m["vocab_size"], m["block_size"]]
if got != want[:5]:
    sys.exit(f"cllm's preset changed shape: {got} (width, layers, heads, vocab, block), expected {want[:5]}")
if m["positional"] != "learned" or m["mixer"] != "attention":
    sys.exit(f"cllm's default options changed: {m}")
g = next(j for j in d["jobs"] if j["name"] == "generate")
if f"{want[5]} tokens" not in g["description"]:
    sys.exit(f"cllm's generate job no longer makes {want[5]} tokens: {g['description']}")
print(g["tokens_per_second"], g["tokens_per_second_min"], g["tokens_per_second_max"], d["parameters"],
      d["gemm"], d["peak_isa"])
EOF
}

# run.c prints "achieved tok/s: X" on stderr; its stdout (the generated tokens, each token_width
# characters) proves it generated all $steps tokens instead of stopping early on token 1.
llama2c_run() { # threads -> tok/s of one run
  local n=$1
  OMP_NUM_THREADS=$n "$work/run" "$work/model.bin" -z "$work/tokenizer.bin" -n "$steps" -t 0.0 -s 1 \
    >"$work/run.out" 2>"$work/run.err"
  local chars
  chars=$(tr -d '\n' <"$work/run.out" | wc -c)
  if ((chars != steps * token_width)); then
    echo "compare_llama2c.sh: run.c generated $((chars / token_width)) tokens, expected $steps" >&2
    exit 1
  fi
  local tps
  tps=$(sed -n 's/^achieved tok\/s: //p' "$work/run.err")
  [[ -n $tps ]] || { echo "compare_llama2c.sh: run.c printed no 'achieved tok/s':" >&2; cat "$work/run.err" >&2; exit 1; }
  echo "$tps"
}

stats() { # numbers -> "median min max"
  python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(statistics.median(v), min(v), max(v))' "$@"
}

rows=()
for n in $threads; do
  # Plain assignments, not `read < <(...)`, so that a failing step stops the script (set -e).
  cllm_out=$(cllm_generate "$n")
  read -r c_med c_min c_max cllm_params gemm peak_isa <<<"$cllm_out"
  llama2c_run "$n" >/dev/null # warm-up, as cllm's bench does one untimed run per job
  samples=()
  for ((r = 0; r < repeats; r++)); do
    tps=$(llama2c_run "$n")
    samples+=("$tps")
  done
  llama_out=$(stats "${samples[@]}")
  read -r l_med l_min l_max <<<"$llama_out"
  rows+=("$n $c_med $c_min $c_max $l_med $l_min $l_max")
done

# Everything a reader needs to judge the numbers: machine, builds, shapes, what is counted.
# (`sed -n 1p` rather than `head -1`: head exiting early could fail a pipeline under pipefail.)
cpu_name=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)
cpu_family=$(sed -n 's/^cpu family[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)
cpu_model=$(sed -n 's/^model[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p)
cache=""
for d in "$(dirname "$cllm")" "$(dirname "$cllm")/.." "$(dirname "$cllm")/../.." "$(dirname "$cllm")/../../.."; do
  [[ -f $d/CMakeCache.txt ]] && { cache=$d/CMakeCache.txt; break; }
done
cmake_var() { sed -n "s/^$1:[A-Z]*=//p" "$cache" | sed -n 1p; }
if [[ -n $cache ]]; then
  build_type=$(cmake_var CMAKE_BUILD_TYPE)
  cxx=$(cmake_var CMAKE_CXX_COMPILER)
  flags="$(cmake_var CMAKE_CXX_FLAGS) $(cmake_var "CMAKE_CXX_FLAGS_${build_type^^}")"
  cllm_build="$build_type (${flags# }, CLLM_ARCH_FLAGS='$(cmake_var CLLM_ARCH_FLAGS)'), $("$cxx" --version 2>/dev/null | sed -n 1p || echo "$cxx")"
else
  cllm_build="unknown (no CMakeCache.txt near $cllm)"
fi
run_commit=$(git -C "$llama2c" rev-parse --short HEAD 2>/dev/null || echo "not a git checkout")
run_sha=$(sha256sum "$llama2c/run.c" | cut -c1-12)

echo "cpu: ${cpu_name:-unknown} (cpu family ${cpu_family:-?}, model ${cpu_model:-?}), $(nproc) logical CPUs available"
echo "cllm:     $cllm"
echo "          build $cllm_build; matrix products: $gemm (runtime ISA dispatch, peak ISA $peak_isa)"
echo "llama2.c: $llama2c/run.c (commit $run_commit, sha256 $run_sha…)"
echo "          build: $cc $run_flags run.c -lm ($("$cc" --version | sed -n 1p)); OMP_NUM_THREADS = threads"
echo
echo "shape: width $dim, $layers layers, $heads heads (head size $((dim / heads))), vocab $vocab, context $block, float32"
echo "  cllm     $(printf "%'d" "$cllm_params") parameters: GPT-2 block (LayerNorm, biases, GELU MLP $dim->$((4 * dim))->$dim),"
echo "           learned positions ($block x $dim = $(printf "%'d" $((block * dim)))), classifier tied to the token embedding"
echo "  llama2.c $(printf "%'d" "$llama_params") parameters: Llama block (RMSNorm, no biases, SwiGLU MLP 3 x $dim x $hidden, RoPE),"
echo "           n_kv_heads = heads, classifier tied to the token embedding; random weights normal(0, 0.02)"
echo "  matrix weights per layer: cllm 12 x ${dim}^2 = $((12 * dim * dim)), llama2.c 4 x ${dim}^2 + 3 x $dim x $hidden = $((4 * dim * dim + 3 * dim * hidden))"
echo
echo "what each side counts (greedy, batch 1, KV cache, one-token prompt):"
echo "  cllm bench 'generate': $new_tokens new tokens from a one-token prompt; its timer covers the prompt's forward"
echo "    pass plus $((new_tokens - 1)) decode steps ($new_tokens forward passes) and sampling/detokenising every token;"
echo "    tok/s = $new_tokens / time; median of $repeats timed runs after one warm-up run, in one process."
echo "  llama2.c run.c -n $steps: $steps forward passes from the BOS token, $steps tokens printed; its timer starts after"
echo "    the first pass, so tok/s = $((steps - 1)) / time of passes 2..$steps (with greedy argmax and an fflush'ed"
echo "    write of every token to a file); median of $repeats processes after one warm-up process. Its clock has"
echo "    1 ms resolution, see the last column."
echo
printf "%7s  %24s  %24s  %13s  %8s\n" threads "cllm tok/s (min-max)" "llama2.c tok/s (min-max)" "cllm/llama2.c" "run.c ms"
for row in "${rows[@]}"; do
  read -r n c_med c_min c_max l_med l_min l_max <<<"$row"
  python3 - "$n" "$c_med" "$c_min" "$c_max" "$l_med" "$l_min" "$l_max" "$((steps - 1))" <<'EOF'
import sys
n = sys.argv[1]
c, cl, ch, l, ll, lh = (float(x) for x in sys.argv[2:8])
timed = int(sys.argv[8])
rng = lambda lo, hi: f"({lo:,.0f}-{hi:,.0f})"
# run.c divides by whole milliseconds: show the median run's length so its resolution can be judged.
print(f"{n:>7}  {c:>10,.0f} {rng(cl, ch):>13}  {l:>10,.0f} {rng(ll, lh):>13}  {c / l:>12.2f}x  {timed / l * 1e3:>8.0f}")
EOF
done
