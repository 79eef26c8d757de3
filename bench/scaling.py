#!/usr/bin/env python3
"""How `cllm bench` scales: model size, context length, vocabulary and thread count, in one invocation.

Runs `cllm bench --json` over a grid and prints one markdown table (the README's "Scaling" table):
tokens/s of training steps, full forward passes and batch-1 KV-cache generation, each training step's
share of the FP32 peak measured in the same bench run, and peak RSS. Every row varies one thing from
the `small` model (width 128, 4 layers, block 64, vocabulary 65, batch 12): the model size (tiny to
10.8M parameters), the block (64 to 1024, with the batch shrunk to keep 768 tokens per step), and the
vocabulary (65 to 32,768), each with 1 and 2 threads. A cliff shows up as a row far below its
neighbours. Run it on a quiet machine (about 10 minutes on 2 cores):

    python3 bench/scaling.py [--cllm build/app/cli/cllm] [--repeats 5] [--json]
"""
import argparse
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (label, cllm bench shape arguments); tokens per training step stay at 768 where the block grows.
SHAPES = [
    ("tiny (64 wide, 2 layers)", ["--preset", "tiny"]),
    ("small (128 wide, 4 layers)", ["--preset", "small"]),
    ("256 wide, 6 layers", ["--width", "256", "--layers", "6", "--heads", "8"]),
    ("10.8M: 384 wide, 6 layers, block 256, batch 8", ["--width", "384", "--layers", "6", "--heads", "6",
                                                        "--block", "256", "--batch", "8"]),
    ("small, block 256 (batch 3)", ["--preset", "small", "--block", "256", "--batch", "3"]),
    ("small, block 1024 (batch 1)", ["--preset", "small", "--block", "1024", "--batch", "1"]),
    ("small, vocabulary 2,048", ["--preset", "small", "--vocab", "2048"]),
    ("small, vocabulary 8,192", ["--preset", "small", "--vocab", "8192"]),
    ("small, vocabulary 32,768", ["--preset", "small", "--vocab", "32768"]),
]


def bench(cllm, shape, threads, repeats):
    command = [str(cllm), "bench", *shape, "--threads", str(threads), "--repeats", str(repeats),
               "--no-reference", "--json"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"scaling.py: {' '.join(command)} failed:\n{result.stderr}")
    return json.loads(result.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cllm", default=str(REPO / "build/app/cli/cllm"))
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--json", action="store_true", help="print the raw reports as one JSON array")
    args = ap.parse_args()
    rows, reports = [], []
    for label, shape in SHAPES:
        for threads in (int(t) for t in args.threads.split(",")):
            print(f"{label}, {threads} thread(s)...", file=sys.stderr)
            r = bench(args.cllm, shape, threads, args.repeats)
            reports.append({"shape": label, "threads": threads, "report": r})
            jobs = {j["name"]: j for j in r["jobs"]}
            rows.append(f"| {label} | {r['parameters']:,} | {threads} | {jobs['train_step']['tokens_per_second']:,.0f} | "
                        f"{100 * jobs['train_step']['share_of_peak']:.0f}% | "
                        f"{jobs['forward']['tokens_per_second']:,.0f} | {jobs['generate']['tokens_per_second']:,.0f} | "
                        f"{r['peak_gflops']:.0f} | {r['peak_rss_kb'] / 1024:.0f} MB |")
    if args.json:
        print(json.dumps(reports, indent=1))
        return
    print(f"cpu: {reports[0]['report']['cpu']}; cllm bench medians of {args.repeats} runs; "
          "training share of the FP32 peak measured in the same run")
    print()
    print("| shape | parameters | threads | train tok/s | train % peak | forward tok/s | generate tok/s "
          "| peak GFLOP/s | peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
