#!/usr/bin/env python3
"""Side-by-side throughput of `cllm bench` and PyTorch on identical shapes, in one invocation.

For each shape the script runs `cllm bench --no-reference --json`, builds the PyTorch twin of the model
cllm reports (bench/pytorch_baseline.py's Gpt: pre-LayerNorm GPT, learned positions, tied head, tanh
GELU, biases) and times the same two jobs with the same batch, block, vocabulary and thread count:

    forward     a full forward pass with loss over batch x block tokens (PyTorch: under torch.no_grad())
    train_step  sample a batch, forward, backward, clip the gradient norm to 1.0, AdamW step
                (PyTorch: model.train(), the twin's AdamW settings and parameter groups)

cllm's KV-cache `generate` job has no PyTorch counterpart (the twin has no KV cache) and is not compared.
Both sides do warm-up runs first and report the median of --repeats timed runs; nothing is timed
concurrently.

The baseline is PyTorch at its best. PyTorch must run on the OpenMP OpenBLAS (the pthread build cripples
it with 2 threads), and its speed depends on the OpenBLAS kernel set, which OpenBLAS picks once, when it
loads, from OPENBLAS_CORETYPE. So PyTorch runs in child processes of this script (a hidden
--pytorch-worker mode), one per kernel set, one after the other, each with OPENBLAS_CORETYPE set and
LD_LIBRARY_PATH pointing at the OpenMP OpenBLAS; each child checks that library actually loaded (and
refuses to run otherwise) and that OpenBLAS runs the kernels asked for (a kernel set it does not honour is
skipped). The children also keep glibc from handing large blocks back to the system (MALLOC_MMAP_MAX_=0,
MALLOC_TRIM_THRESHOLD_): PyTorch allocates every activation afresh, and by default glibc maps each large
block (such as the logits at vocabulary 8192) on its own and unmaps it when freed, so its pages fault in
again on every step; measured in this VM, that made PyTorch's forward at vocabulary 8192 five times slower. With --blas-core best (the default) the candidates are the kernel sets this CPU supports among
Haswell (AVX2, FMA), SkylakeX (AVX-512 F/BW/DQ/VL/CD) and Cooperlake (SkylakeX's + AVX512_BF16); the
suite's tiny shape is also timed at 1 thread. Each job reports its fastest set-up (kernel set and thread
count). --blas-core NAME uses that one kernel set. Run it from anywhere with Debian's python3-torch (see
README, "Results"):

    /usr/bin/python3 bench/compare_pytorch.py --preset tiny --repeats 1          # one shape, a smoke test
    /usr/bin/python3 bench/compare_pytorch.py --preset small --vocab 8192        # any `cllm bench` shape
    /usr/bin/python3 bench/compare_pytorch.py --width 384 --layers 6 --heads 6 --block 256 --batch 8
    /usr/bin/python3 bench/compare_pytorch.py --preset small --blas-core SkylakeX  # one kernel set only
    /usr/bin/python3 bench/compare_pytorch.py --suite                            # the performance issue's shapes
    /usr/bin/python3 bench/compare_pytorch.py --suite --json > comparison.json   # one JSON object instead

Measure on a quiet machine: --suite at the default 5 repeats takes several minutes on 2 cores per
candidate kernel set.
"""
import argparse
import ctypes
import importlib.util
import json
import os
import re
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OPENMP_BLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
WORKER_FLAG = "--pytorch-worker"  # hidden: argv[1] of the child processes that time PyTorch
WARMUP_RUNS = 2  # PyTorch's (cllm bench does one); the first also allocates AdamW's state
JOBS = ("forward", "train_step")
# Model options of cllm the PyTorch twin implements only at these values.
TWIN_OPTIONS = {"positional": "learned", "embedding_init": "random", "attention_bias": "none",
                "mixer": "attention", "roots": "off"}
# OpenBLAS kernel sets --blas-core best tries (OPENBLAS_CORETYPE names, spelled as openblas_get_corename()
# reports them) and the /proc/cpuinfo flags each needs.
SKYLAKEX_FLAGS = ("avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd")
BLAS_CORES = {"Haswell": ("avx2", "fma"), "SkylakeX": SKYLAKEX_FLAGS, "Cooperlake": SKYLAKEX_FLAGS + ("avx512_bf16",)}


@dataclass
class Shape:
    label: str
    cllm_args: list  # shape options for `cllm bench`
    best_pytorch_threads: bool = False  # time PyTorch at 1 and at --threads threads, report the faster


# The shapes of the performance issue (cllm's presets: tiny = width 64, 2 layers, 4 heads; small = width 128,
# 4 layers, 4 heads; both block 64 by default; cllm bench's defaults are batch 12 and vocabulary 65).
SUITE = [
    Shape("small", ["--preset", "small", "--batch", "12", "--block", "64", "--vocab", "65"]),
    Shape("tiny, PyTorch at its best thread count",
          ["--preset", "tiny", "--batch", "12", "--block", "64", "--vocab", "65"], best_pytorch_threads=True),
    Shape("10.8M parameters", ["--width", "384", "--layers", "6", "--heads", "6", "--block", "256",
                               "--batch", "8", "--vocab", "65"]),
    Shape("small, vocabulary 8192", ["--preset", "small", "--batch", "12", "--block", "64", "--vocab", "8192"]),
    Shape("tiny, vocabulary 2048", ["--preset", "tiny", "--batch", "12", "--block", "64", "--vocab", "2048"]),
]


def die(message):
    print(f"compare_pytorch: {message}", file=sys.stderr)
    sys.exit(1)


def progress(message):
    print(message, file=sys.stderr, flush=True)


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------------------
# The machine

def cpu_description():
    name = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    try:
        fields = dict(line.split(":", 1) for line in subprocess.run(
            ["lscpu"], capture_output=True, text=True, check=True).stdout.splitlines() if ":" in line)
        fields = {k.strip(): v.strip() for k, v in fields.items()}
        name += f" (lscpu: {fields.get('Vendor ID', '?')} family {fields.get('CPU family', '?')} " \
                f"model {fields.get('Model', '?')}, {os.cpu_count()} logical CPUs)"
    except (OSError, subprocess.CalledProcessError):
        pass
    return name


def cpu_flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":", 1)[1].split())
    return set()


def blas_core_candidates(choice):
    """The OpenBLAS kernel sets to time PyTorch with: those of BLAS_CORES this CPU supports for "best",
    else the one named (spelled as BLAS_CORES does, if it is one of them). Returns (cores, error)."""
    flags = cpu_flags()
    if choice == "best":
        cores = [core for core, needs in BLAS_CORES.items() if flags.issuperset(needs)]
        return cores, None if cores else (f"this CPU has the flags of none of {', '.join(BLAS_CORES)}; "
                                          "pass --blas-core NAME")
    core = {known.lower(): known for known in BLAS_CORES}.get(choice.lower(), choice)
    missing = sorted(set(BLAS_CORES.get(core, ())) - flags)
    return [core], f"this CPU lacks {', '.join(missing)}, which {core} kernels need" if missing else None


# ---------------------------------------------------------------------------------------------------------
# The PyTorch side: a child process per OpenBLAS kernel set (`compare_pytorch.py --pytorch-worker`)

def loaded_libraries():
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            fields = line.split()
            if len(fields) >= 6 and fields[5].startswith("/"):
                libs.add(fields[5])
    return libs


def verify_openmp_openblas(torch):
    """After importing torch: run one matrix product and check which BLAS the process actually mapped.

    Returns (library path, OpenBLAS version, the kernel set OpenBLAS runs). Exits with a message naming the
    fix on any other set-up."""
    a = torch.randn(256, 256)
    (a @ a).sum().item()
    blas = sorted(p for p in loaded_libraries() if re.match(r"lib(open)?blas", os.path.basename(p)))
    openblas = [p for p in blas if os.path.basename(p).startswith("libopenblas")]
    if not openblas:
        die(f"PyTorch loaded no OpenBLAS (BLAS libraries mapped: {blas or 'none'}); this comparison is meant "
            f"for Debian's python3-torch on the OpenMP OpenBLAS: run it with /usr/bin/python3")
    fix = (f"this script puts {OPENMP_BLAS_DIR} first on LD_LIBRARY_PATH, which did not take; make the OpenMP "
           "build the system BLAS (sudo update-alternatives --config libblas.so.3-x86_64-linux-gnu)")
    wrong = [p for p in blas if os.path.dirname(os.path.realpath(p)) != OPENMP_BLAS_DIR]
    if wrong:
        die(f"PyTorch runs on {', '.join(wrong)}, not the OpenMP OpenBLAS in {OPENMP_BLAS_DIR} (the pthread "
            f"build cripples PyTorch at 2 threads; the reference BLAS is slow at any count): {fix}")
    lib = ctypes.CDLL(openblas[0])  # already mapped: the same library, not a second copy
    lib.openblas_get_config.restype = ctypes.c_char_p
    lib.openblas_get_corename.restype = ctypes.c_char_p
    if lib.openblas_get_parallel() != 2:  # 0 sequential, 1 pthreads, 2 OpenMP
        die(f"{openblas[0]} is not an OpenMP build (openblas_get_parallel() = {lib.openblas_get_parallel()}): {fix}")
    version = " ".join(lib.openblas_get_config().decode().split()[:2])
    return openblas[0], version, lib.openblas_get_corename().decode()


def import_torch():
    try:
        import torch
    except ImportError:
        die(f"{sys.executable} cannot import torch; run with Debian's python3-torch: /usr/bin/python3 {sys.argv[0]}")
    return torch


def import_twin():
    """bench/pytorch_baseline.py, the PyTorch twin of cllm's model, imported from this folder."""
    spec = importlib.util.spec_from_file_location("pytorch_baseline", Path(__file__).with_name("pytorch_baseline.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def torch_summary(torch):
    blas_info = re.search(r"BLAS_INFO=([^,]+)", torch.__config__.show())
    backend = re.search(r"ATen parallel backend: (.+)", torch.__config__.parallel_info())
    return (f"torch {torch.__version__} (BLAS_INFO={blas_info.group(1) if blas_info else '?'}, "
            f"parallel backend {backend.group(1).strip() if backend else '?'})")


def timed_runs(fn, repeats):
    for _ in range(WARMUP_RUNS):
        fn()
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        seconds.append(time.perf_counter() - start)
    return seconds


def bench_pytorch(torch, twin, model_config, batch, threads, repeats):
    """Seconds of every timed run of each job, and the twin's parameter count."""
    torch.set_num_threads(threads)
    if torch.get_num_threads() != threads:
        die(f"torch.set_num_threads({threads}) left PyTorch at {torch.get_num_threads()} threads")
    torch.manual_seed(42)
    V, T = model_config["vocab_size"], model_config["block_size"]
    model = twin.Gpt(V, T, model_config["n_layer"], model_config["n_head"], model_config["n_embd"],
                     model_config["bias"], model_config["gelu"])
    # As cllm bench: random tokens, at least 100,000 of them.
    data = torch.randint(V, (max(100000, 4 * batch * T),))
    params = list(model.parameters())
    opt = torch.optim.AdamW([{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
                             {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}],
                            lr=1e-3, betas=(0.9, 0.99), eps=1e-8)
    positions = torch.arange(T)
    x_fixed = data[: batch * T].view(batch, T)
    y_fixed = data[1: batch * T + 1].view(batch, T)

    def forward():
        with torch.no_grad():
            model(x_fixed, y_fixed)

    def train_step():
        offsets = torch.randint(len(data) - T, (batch, 1)) + positions
        loss = model(data[offsets], data[offsets + 1])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()

    model.eval()
    seconds = {"forward": timed_runs(forward, repeats)}
    model.train()
    seconds["train_step"] = timed_runs(train_step, repeats)
    return seconds, sum(p.numel() for p in params)


def pytorch_worker():
    """The child process: reads {"core", "model", "batch", "threads", "repeats"} as JSON on stdin, prints its
    set-up and, if OpenBLAS runs the kernel set asked for, "seconds" {threads: {job: [seconds]}} and
    "parameters" as one JSON line on stdout."""
    request = json.load(sys.stdin)
    torch = import_torch()
    library, version, corename = verify_openmp_openblas(torch)
    report = {"torch": torch.__version__, "torch_config": torch_summary(torch), "blas_library": library,
              "blas": version, "corename": corename}
    if corename.lower() == request["core"].lower():
        twin = import_twin()
        report["seconds"] = {}
        for threads in request["threads"]:
            report["seconds"][str(threads)], report["parameters"] = bench_pytorch(
                torch, twin, request["model"], request["batch"], threads, request["repeats"])
    print(json.dumps(report))


# No block mapped on its own and no trimming: freed blocks stay in the heap for the next step's tensors
# (see the module docstring).
PYTORCH_MALLOC_ENV = {"MALLOC_MMAP_MAX_": "0", "MALLOC_TRIM_THRESHOLD_": str(1 << 40)}


def run_pytorch(core, request):
    """Runs pytorch_worker in a child process of this script with OPENBLAS_CORETYPE=core (OpenBLAS reads it
    once, when it loads) and the OpenMP OpenBLAS first on LD_LIBRARY_PATH; returns its report."""
    paths = [p for p in os.environ.get("LD_LIBRARY_PATH", "").split(":") if p and p != OPENMP_BLAS_DIR]
    env = dict(os.environ, LD_LIBRARY_PATH=":".join([OPENMP_BLAS_DIR] + paths), OPENBLAS_CORETYPE=core,
               **PYTORCH_MALLOC_ENV)
    result = subprocess.run([sys.executable, os.path.abspath(__file__), WORKER_FLAG],
                            input=json.dumps(dict(request, core=core)), stdout=subprocess.PIPE, text=True, env=env)
    if result.returncode != 0:
        die(f"the PyTorch process with OPENBLAS_CORETYPE={core} failed (exit status {result.returncode})")
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        die(f"the PyTorch process with OPENBLAS_CORETYPE={core} printed no JSON:\n{result.stdout}")
    return json.loads(lines[-1])


@dataclass
class PytorchCandidates:
    """The OpenBLAS kernel sets PyTorch is timed with, across shapes."""
    cores: list  # still tried
    tried: list = field(default_factory=list)  # every one launched
    skipped: dict = field(default_factory=dict)  # core asked for -> the kernels OpenBLAS ran instead
    setup: dict = None  # torch and OpenBLAS, as the first PyTorch process reported them


# ---------------------------------------------------------------------------------------------------------
# cllm, and the comparison

def run_cllm(cllm, shape_args, threads, repeats):
    command = [str(cllm), "bench", *shape_args, "--threads", str(threads), "--repeats", str(repeats),
               "--no-reference", *[arg for name in JOBS for arg in ("--job", name)], "--json"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        die(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr.strip()}")
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        die(f"{' '.join(command)} printed no JSON:\n{result.stdout}")
    report = json.loads(lines[-1])
    if report["threads"] != threads:
        die(f"cllm bench ran {report['threads']} threads, not {threads}")
    return report


def twin_config(model):
    """The PyTorch twin's shape and (bias, gelu approximation) for cllm's model config, refusing options the
    twin does not have.

    cllm's linear layers always have biases and its GELU is the tanh approximation; a config that names
    these settings (keys "bias", "gelu") is followed."""
    for key, value in TWIN_OPTIONS.items():
        if model.get(key, value) != value:
            die(f"cllm's model has {key} = {model[key]}; the PyTorch twin has only {key} = {value}")
    bias = model.get("bias", True)
    if isinstance(bias, str):
        bias = bias.lower() in ("on", "true", "yes", "1")
    gelu = str(model.get("gelu", "tanh")).lower()
    if gelu not in ("tanh", "erf", "exact", "none"):
        die(f"cllm's model has gelu = {gelu}; the PyTorch twin knows tanh and erf")
    config = {key: model[key] for key in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd")}
    return dict(config, bias=bool(bias), gelu="tanh" if gelu == "tanh" else "none")


def compare_shape(shape, index, count, candidates, a):
    tag = f"[{index}/{count}] {shape.label}"
    progress(f"{tag}: cllm bench {' '.join(shape.cllm_args)} --threads {a.threads}")
    report = run_cllm(a.cllm, shape.cllm_args, a.threads, a.repeats)
    model, batch = report["model"], report["batch"]
    cllm_jobs = {j["name"]: j for j in report["jobs"]}
    missing = [name for name in JOBS if name not in cllm_jobs]
    if missing:
        die(f"cllm bench reported no {', '.join(missing)} job")

    thread_counts = sorted({1, a.threads}) if shape.best_pytorch_threads else [a.threads]
    request = {"model": twin_config(model), "batch": batch, "threads": thread_counts, "repeats": a.repeats}
    pytorch = {}  # core -> threads -> seconds per job
    for core in list(candidates.cores):
        progress(f"{tag}: PyTorch, OPENBLAS_CORETYPE={core}, {' and '.join(map(str, thread_counts))} "
                 f"thread{'s' if thread_counts != [1] else ''}")
        run = run_pytorch(core, request)
        if core not in candidates.tried:
            candidates.tried.append(core)
        if candidates.setup is None:
            candidates.setup = {key: run[key] for key in ("torch", "torch_config", "blas_library", "blas")}
        if "seconds" not in run:
            progress(f"{tag}: OpenBLAS ran its {run['corename']} kernels, not {core}: skipping {core}")
            candidates.skipped[core] = run["corename"]
            candidates.cores.remove(core)
            continue
        if run["parameters"] != report["parameters"]:
            die(f"the PyTorch twin has {run['parameters']:,} parameters, cllm's model {report['parameters']:,}: "
                "the shapes differ")
        pytorch[core] = {int(threads): seconds for threads, seconds in run["seconds"].items()}
    if not pytorch:
        die(f"OpenBLAS ran none of the kernel sets asked for ({', '.join(candidates.skipped)})")

    tokens = batch * model["block_size"]
    setups = [(core, threads) for core in pytorch for threads in thread_counts]
    jobs = []
    for name in JOBS:
        c = cllm_jobs[name]
        core, threads = min(setups, key=lambda s: statistics.median(pytorch[s[0]][s[1]][name]))
        pt_seconds = pytorch[core][threads][name]
        pt_tps = tokens / statistics.median(pt_seconds)
        ratio = c["tokens_per_second"] / pt_tps
        jobs.append({
            "name": name,
            "cllm_tokens_per_second": c["tokens_per_second"],
            "pytorch_tokens_per_second": pt_tps,
            "cllm_over_pytorch": ratio,
            "cllm_share_of_peak": c["share_of_peak"],
            # cllm's model FLOP count per run, at PyTorch's speed
            "pytorch_share_of_peak": c["share_of_peak"] / ratio,
            "pytorch_threads": threads,
            "pytorch_blas_core": core,
            "cllm_seconds": c["seconds"],
            "pytorch_seconds": pt_seconds,
            # every set-up timed: OpenBLAS kernel set -> threads -> seconds
            "pytorch_seconds_by_setup": {k: {str(t): s[name] for t, s in by_threads.items()}
                                         for k, by_threads in pytorch.items()},
        })
    return {"label": shape.label, "cllm_args": shape.cllm_args, "model": model, "parameters": report["parameters"],
            "batch": batch, "peak_gflops": report["peak_gflops"], "peak_isa": report["peak_isa"],
            "gemm": report.get("gemm"), "jobs": jobs}


# ---------------------------------------------------------------------------------------------------------
# Output

def print_table(header, results):
    for line in header:
        print(line)
    for r in results:
        m = r["model"]
        print(f"\n{r['label']}: {m['n_layer']} layers, width {m['n_embd']}, {m['n_head']} heads, "
              f"block {m['block_size']}, vocab {m['vocab_size']}, batch {r['batch']} "
              f"({r['parameters']:,} parameters); cllm gemm {r['gemm']}, "
              f"measured peak {r['peak_gflops']:.1f} GFLOP/s ({r['peak_isa']})")
        print(f"  {'job':<11} {'cllm tok/s':>12} {'PyTorch tok/s':>14} {'cllm/PyTorch':>13} "
              f"{'cllm % peak':>12} {'PyTorch % peak':>15}  PyTorch set-up")
        for j in r["jobs"]:
            timed = sum(len(by_threads) for by_threads in j["pytorch_seconds_by_setup"].values())
            setup = f"{plural(j['pytorch_threads'], 'thread')}, {j['pytorch_blas_core']}" + \
                    (f" (fastest of {timed})" if timed > 1 else "")
            print(f"  {j['name']:<11} {j['cllm_tokens_per_second']:>12,.0f} {j['pytorch_tokens_per_second']:>14,.0f} "
                  f"{j['cllm_over_pytorch']:>12.2f}x {100 * j['cllm_share_of_peak']:>11.1f}% "
                  f"{100 * j['pytorch_share_of_peak']:>14.1f}%  {setup}")
    print("\ntokens/s: medians; cllm/PyTorch > 1 means cllm is faster; PyTorch's share of peak counts cllm's "
          "model FLOPs per run.")


def blas_cores_description(a, candidates):
    """Which OpenBLAS kernel sets PyTorch was timed with, for the header."""
    used = ", ".join(core for core in candidates.tried if core not in candidates.skipped)
    text = (f"the fastest per job of {used}, each in its own PyTorch process" if a.blas_core == "best"
            else f"{used} (--blas-core)") + ", set by OPENBLAS_CORETYPE"
    if os.environ.get("OPENBLAS_CORETYPE"):
        text += f" (this environment's OPENBLAS_CORETYPE={os.environ['OPENBLAS_CORETYPE']} is not used)"
    skipped = [f"{core} (OpenBLAS ran {ran})" for core, ran in candidates.skipped.items()]
    return text + (f"; skipped, OpenBLAS not honouring them: {', '.join(skipped)}" if skipped else "")


def parse_args():
    ap = argparse.ArgumentParser(description="cllm bench beside PyTorch on identical shapes",
                                 formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    ap.add_argument("--suite", action="store_true", help="the shapes of the performance issue (no shape options)")
    shape = ap.add_argument_group("shape (passed to cllm bench; its defaults apply)")
    shape.add_argument("--preset", help="tiny (64 wide, 2 layers, 4 heads) or small (128 wide, 4 layers, 4 heads)")
    for name in ("width", "layers", "heads", "block", "vocab", "batch"):
        shape.add_argument(f"--{name}", type=int)
    ap.add_argument("--threads", type=int, default=2, help="threads for both cllm and PyTorch")
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per job on each side (medians)")
    ap.add_argument("--blas-core", default="best", metavar="NAME|best",
                    help="the OpenBLAS kernel set (OPENBLAS_CORETYPE) PyTorch runs on; best: time PyTorch with each "
                         f"of {', '.join(BLAS_CORES)} this CPU supports and report the fastest per job")
    ap.add_argument("--cllm", type=Path, default=REPO / "build/app/cli/cllm", help="the cllm binary")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    a = ap.parse_args()
    a.cllm_args = []
    for name in ("preset", "width", "layers", "heads", "block", "vocab", "batch"):
        value = getattr(a, name)
        if value is not None:
            a.cllm_args += [f"--{name}", str(value)]
    if a.suite and a.cllm_args:
        ap.error("--suite runs its own shapes; drop the shape options")
    if a.threads < 1 or a.repeats < 1:
        ap.error("--threads and --repeats must be at least 1")
    if not os.access(a.cllm, os.X_OK):
        ap.error(f"{a.cllm} is not an executable; build cllm or pass --cllm PATH")
    a.blas_cores, error = blas_core_candidates(a.blas_core)
    if error:
        ap.error(error)
    return a


def main():
    if sys.argv[1:] == [WORKER_FLAG]:
        return pytorch_worker()
    a = parse_args()
    if not os.path.isdir(OPENMP_BLAS_DIR):
        die(f"{OPENMP_BLAS_DIR} is missing; install the OpenMP OpenBLAS (apt-get install libopenblas0-openmp)")
    if importlib.util.find_spec("torch") is None:
        die(f"{sys.executable} cannot import torch; run with Debian's python3-torch: /usr/bin/python3 {sys.argv[0]}")

    candidates = PytorchCandidates(list(a.blas_cores))
    shapes = SUITE if a.suite else [Shape(" ".join(a.cllm_args) or "cllm bench defaults", a.cllm_args)]
    results = [compare_shape(s, i + 1, len(shapes), candidates, a) for i, s in enumerate(shapes)]

    cpu, setup = cpu_description(), candidates.setup
    if a.json:
        print(json.dumps({"cpu": cpu, "threads": a.threads, "repeats": a.repeats, "pytorch_warmup_runs": WARMUP_RUNS,
                          "torch": setup["torch"], "torch_config": setup["torch_config"],
                          "blas_library": setup["blas_library"], "blas": setup["blas"],
                          "blas_core": a.blas_core, "blas_cores_tried": candidates.tried,
                          "blas_cores_skipped": candidates.skipped, "pytorch_malloc_env": PYTORCH_MALLOC_ENV,
                          "cllm": str(a.cllm),
                          "shapes": results}, indent=1))
        return
    header = [f"cpu: {cpu}",
              f"threads: {a.threads} (cllm and PyTorch); {a.repeats} timed runs per job, medians",
              f"PyTorch: {setup['torch_config']}",
              f"BLAS: {setup['blas_library']} ({setup['blas']}, OpenMP)",
              f"OpenBLAS kernels: {blas_cores_description(a, candidates)}",
              "PyTorch's malloc: " + " ".join(f"{k}={v}" for k, v in PYTORCH_MALLOC_ENV.items()) +
              " (freed blocks stay in the heap)",
              f"cllm: {a.cllm}"]
    print_table(header, results)


if __name__ == "__main__":
    main()
