#!/usr/bin/env python3
"""Write a random-weight llama2.c checkpoint and a matching tokenizer, for bench/compare_llama2c.sh.

    python3 bench/llama2c_checkpoint.py OUT_DIR --dim 128 --hidden-dim 344 --layers 4 --heads 4 \
        --vocab 65 --seq-len 256

writes OUT_DIR/model.bin and OUT_DIR/tokenizer.bin and prints one JSON line with the shape, the parameter
count and the width of every token's text (the script counts run.c's generated tokens with it).

model.bin is run.c's legacy ("version 0") format, as read by read_checkpoint / memory_map_weights and
written by llama2.c's export.py legacy_export: seven int32 (dim, hidden_dim, n_layers, n_heads,
n_kv_heads, vocab_size, seq_len; a positive vocab_size means the classifier shares the token embedding,
as cllm's does), then float32 tensors in this order: token embedding, attention RMSNorm weights, wq, wk,
wv, wo, FFN RMSNorm weights, w1, w2, w3, final RMSNorm weight, and the two unused RoPE tables
(seq_len * head_size / 2 floats each; run.c skips them and computes RoPE on the fly).

tokenizer.bin is run.c's build_tokenizer format: int32 max_token_length, then per token float32 score,
int32 length and the bytes. Every token's text is its id as fixed-width decimal digits, so run.c's output
is exactly (generated tokens) x (width) characters and never contains whitespace, "<0x..>" byte tokens or
unprintable bytes that run.c would drop.

Only the standard library is used (numpy is not required). Weights are normal(0, 0.02), RMSNorm weights
1, so activations stay finite. The row of token 1 (run.c's BOS, which is also its stop token) is zero:
with the tied classifier its logit is then exactly 0 while the logit of the current token (whose
embedding is in the residual stream) is positive, so greedy decoding never picks it and never stops early.
"""

import argparse
import array
import json
import os
import random
import struct
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out_dir")
    p.add_argument("--dim", type=int, required=True)
    p.add_argument("--hidden-dim", type=int, required=True)
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--seq-len", type=int, required=True)
    p.add_argument("--seed", type=int, default=1234)
    a = p.parse_args()
    if a.dim % a.heads or (a.dim // a.heads) % 2:
        sys.exit("llama2c_checkpoint.py: dim must be a multiple of heads with an even head size (RoPE)")
    if a.vocab < 3:
        sys.exit("llama2c_checkpoint.py: vocab must be at least 3 (run.c reserves ids 1 and 2)")

    C, H, L, V, T = a.dim, a.hidden_dim, a.layers, a.vocab, a.seq_len
    head_size = C // a.heads
    rng = random.Random(a.seed)

    def normal(n):
        return array.array("f", (rng.gauss(0.0, 0.02) for _ in range(n)))

    def ones(n):
        return array.array("f", [1.0]) * n

    def zeros(n):
        return array.array("f", [0.0]) * n

    embedding = normal(V * C)
    embedding[C:2 * C] = zeros(C)  # token 1 = BOS / stop token, see the docstring
    # (name, tensor) in memory_map_weights' order; n_kv_heads == n_heads, so wk and wv are C x C.
    tensors = [
        ("token_embedding", embedding),
        ("rms_att", ones(L * C)),
        ("wq", normal(L * C * C)),
        ("wk", normal(L * C * C)),
        ("wv", normal(L * C * C)),
        ("wo", normal(L * C * C)),
        ("rms_ffn", ones(L * C)),
        ("w1", normal(L * C * H)),
        ("w2", normal(L * H * C)),
        ("w3", normal(L * C * H)),
        ("rms_final", ones(C)),
    ]
    parameters = sum(len(t) for _, t in tensors)
    unused = zeros(T * head_size // 2)  # freq_cis_real, freq_cis_imag: skipped by run.c

    os.makedirs(a.out_dir, exist_ok=True)
    with open(os.path.join(a.out_dir, "model.bin"), "wb") as f:
        # '<' = little-endian, 4-byte ints, as run.c's Config on x86-64 / arm64.
        f.write(struct.pack("<7i", C, H, L, a.heads, a.heads, V, T))  # V > 0: shared classifier
        for _, t in tensors:
            if sys.byteorder != "little":
                t.byteswap()
            t.tofile(f)
        unused.tofile(f)
        unused.tofile(f)

    width = len(str(V - 1))
    with open(os.path.join(a.out_dir, "tokenizer.bin"), "wb") as f:
        f.write(struct.pack("<i", width))
        for i in range(V):
            text = str(i).zfill(width).encode()
            f.write(struct.pack("<fi", 0.0, len(text)) + text)

    print(json.dumps({"dim": C, "hidden_dim": H, "n_layers": L, "n_heads": a.heads, "n_kv_heads": a.heads,
                      "vocab_size": V, "seq_len": T, "parameters": parameters, "token_width": width}))


if __name__ == "__main__":
    main()
