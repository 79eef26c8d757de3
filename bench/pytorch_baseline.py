#!/usr/bin/env python3
"""PyTorch twin of cllm's model and training loop, to measure the baseline on the same machine.

Same architecture (pre-LayerNorm GPT, learned positions, tied head, GELU MLP), same initialisation,
AdamW settings, warmup + cosine schedule, clipping, char tokenizer with ids by descending frequency,
last-10% validation split, and the same evaluation (non-overlapping windows over the whole split).
Run with Debian's python3-torch on the OpenMP OpenBLAS, with glibc keeping freed blocks in the heap
(PyTorch allocates every activation afresh; by default large blocks are unmapped when freed and fault in
again on the next step; see bench/compare_pytorch.py and README, "Results"):

    MALLOC_MMAP_MAX_=0 MALLOC_TRIM_THRESHOLD_=1099511627776 \
      LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch_baseline.py CORPUS
"""
import argparse
import collections
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, C, NH, bias, gelu):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn = nn.Linear(C, 3 * C, bias=bias)
        self.c_proj = nn.Linear(C, C, bias=bias)
        self.c_fc = nn.Linear(C, 4 * C, bias=bias)
        self.mlp_proj = nn.Linear(4 * C, C, bias=bias)
        self.NH, self.gelu = NH, gelu

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.NH, C // self.NH).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True) if hasattr(F, "scaled_dot_product_attention") \
            else self._attention(q, k, v)
        x = x + self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate=self.gelu))

    @staticmethod
    def _attention(q, k, v):
        T = q.size(-2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(k.size(-1))
        att = att.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        return F.softmax(att, dim=-1) @ v


class Gpt(nn.Module):
    def __init__(self, V, T, L, NH, C, bias, gelu):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(T, C)
        self.blocks = nn.ModuleList(Block(C, NH, bias, gelu) for _ in range(L))
        self.ln_f = nn.LayerNorm(C)
        for name, p in self.named_parameters():
            if p.dim() == 2:
                std = 0.02 / math.sqrt(2 * L) if name.endswith("c_proj.weight") or name.endswith("mlp_proj.weight") else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, idx, targets):
        x = self.wte(idx) + self.wpe(torch.arange(idx.size(1)))
        for b in self.blocks:
            x = b(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--width", type=int, default=128)
    ap.add_argument("--block", type=int, default=64)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--min-lr", type=float, default=1e-4)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1337)
    ap.add_argument("--no-bias", action="store_true", help="Linear layers without biases (nanoGPT's default)")
    ap.add_argument("--exact-gelu", action="store_true", help="erf GELU instead of the tanh approximation")
    ap.add_argument("--eval-interval", type=int, default=0, help="evaluate every N steps too (0 = at the end only)")
    ap.add_argument("--target-loss", type=float, help="report when the validation loss first reaches this (time to quality)")
    ap.add_argument("--stop-at-target", action="store_true", help="end the run at the target")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    text = open(a.corpus, encoding="utf-8").read()
    counts = collections.Counter(text)
    first = {}
    for i, ch in enumerate(text):
        first.setdefault(ch, i)
    vocab = sorted(counts, key=lambda ch: (-counts[ch], first[ch]))
    ids = {ch: i for i, ch in enumerate(vocab)}
    data = torch.tensor([ids[ch] for ch in text], dtype=torch.long)
    n_val = int(len(data) * 0.1)
    train, val = data[: len(data) - n_val], data[len(data) - n_val:]
    model = Gpt(len(vocab), a.block, a.layers, a.heads, a.width, not a.no_bias, "none" if a.exact_gelu else "tanh")
    decay = [p for p in model.parameters() if p.dim() >= 2]
    no_decay = [p for p in model.parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.99), eps=1e-8)

    def lr_at(step):
        if step < a.warmup:
            return a.lr * (step + 1) / (a.warmup + 1)
        progress = (step - a.warmup) / max(1, a.steps - a.warmup)
        return a.min_lr + 0.5 * (1 + math.cos(math.pi * progress)) * (a.lr - a.min_lr)

    def evaluate():
        """Mean loss over every non-overlapping window of the validation split, as cllm's --eval-batches 0."""
        model.eval()
        with torch.no_grad():
            windows = (len(val) - 1) // a.block
            total = 0.0
            for w in range(0, windows, a.batch):
                starts = range(w * a.block, min(windows, w + a.batch) * a.block, a.block)
                x = torch.stack([val[s: s + a.block] for s in starts])
                y = torch.stack([val[s + 1: s + 1 + a.block] for s in starts])
                total += model(x, y).item() * x.numel()
        model.train()
        return total / (windows * a.block)

    start = time.time()
    train_seconds = 0.0
    reached = None  # (step, wall seconds, training-step seconds) at the first evaluation <= target
    for step in range(a.steps):
        step_start = time.time()
        ix = torch.randint(len(train) - a.block, (a.batch,))
        x = torch.stack([train[i: i + a.block] for i in ix])
        y = torch.stack([train[i + 1: i + 1 + a.block] for i in ix])
        for g in opt.param_groups:
            g["lr"] = lr_at(step)
        loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        train_seconds += time.time() - step_start
        if a.eval_interval > 0 and (step + 1) % a.eval_interval == 0 and step + 1 < a.steps:
            loss_now = evaluate()
            print(f"step {step + 1}: validation loss {loss_now:.4f} ({time.time() - start:.1f} s)", flush=True)
            if a.target_loss is not None and reached is None and loss_now <= a.target_loss:
                reached = (step + 1, time.time() - start, train_seconds)
                if a.stop_at_target:
                    break
    val_loss = evaluate()
    if a.target_loss is not None and reached is None and val_loss <= a.target_loss:
        reached = (step + 1, time.time() - start, train_seconds)
    if a.target_loss is not None:
        if reached:
            print(f"target {a.target_loss} reached at step {reached[0]}: {reached[1]:.1f} s wall, {reached[2]:.1f} s "
                  f"in training steps, {reached[0] * a.batch * a.block} training tokens")
        else:
            print(f"target {a.target_loss} never reached")
    params = sum(p.numel() for p in model.parameters())
    print(f"pytorch {torch.__version__}: {params} parameters, bias={not a.no_bias}, gelu={'erf' if a.exact_gelu else 'tanh'}, "
          f"{a.threads} threads: {step + 1} steps in {train_seconds:.1f} s "
          f"({(step + 1) * a.batch * a.block / train_seconds:.0f} training tokens/s), validation loss {val_loss:.4f}")


if __name__ == "__main__":
    main()
