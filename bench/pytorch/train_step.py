#!/usr/bin/env python3
"""The SameDiff training step of TrainStepBench, written in PyTorch, for a side-by-side figure.

Same architecture as dev.samvaad.model.S2sGraph at frame group 1 without text, summary or source
normalisation (pre-norm encoder-decoder transformer, per-stream code embeddings summed, sinusoidal
positions, tanh-GELU feed-forward, one head of Q x V logits, masked mean cross-entropy), the same
shapes (batch 16, 150 source and 150 + 1 target frames), Adam at 1e-3 and gradient clipping at
global norm 1.0, like TrainStepBench. Each measured shot is one forward, backward and Adam step,
timed alone (single shot), after warm-up shots.

    python3 bench/pytorch/train_step.py --out pytorch.json [--shots 10] [--warmup 3]

Writes JSON: torch version, the BLAS library torch's matrix products ran on, and per size and
thread count the shot times in seconds. Debian's python3-torch calls whatever libblas.so.3 the
system's alternatives point at; with only the reference BLAS installed it is about 5x slower, so
install OpenBLAS (apt-get install libopenblas0-pthread) for a fair figure: the script warns.
"""
import argparse
import glob
import json
import math
import os
import statistics
import sys
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # the bench script checks first; this is for people running it by hand
    sys.exit("PyTorch is not installed (Debian: apt-get install python3-torch)")

# (codebooks, codebook size, width, heads, encoder layers, decoder layers, feed-forward width):
# the model sizes of TrainStepBench (ModelFixtures.DEFAULT and TINY).
SIZES = {
    "tiny": (4, 256, 64, 4, 1, 1, 256),
    "default": (6, 1024, 128, 4, 2, 2, 512),
}
ROWS, SOURCE, TARGET = 16, 150, 150


class Attention(torch.nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h, self.dh = heads, d // heads
        self.q, self.k, self.v, self.o = (torch.nn.Linear(d, d) for _ in range(4))

    def forward(self, x, kv, mask):
        b, t, d = x.shape
        s = kv.shape[1]
        q = self.q(x).view(b, t, self.h, self.dh).transpose(1, 2)
        k = self.k(kv).view(b, s, self.h, self.dh).transpose(1, 2)
        v = self.v(kv).view(b, s, self.h, self.dh).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.dh) + mask
        context = (scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)
        return self.o(context)


class FeedForward(torch.nn.Module):
    def __init__(self, d, ff):
        super().__init__()
        self.w1, self.w2 = torch.nn.Linear(d, ff), torch.nn.Linear(ff, d)

    def forward(self, x):
        return self.w2(F.gelu(self.w1(x), approximate="tanh"))


class EncoderLayer(torch.nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.ln1, self.ln2 = torch.nn.LayerNorm(d), torch.nn.LayerNorm(d)
        self.attn, self.ff = Attention(d, heads), FeedForward(d, ff)

    def forward(self, x, mask):
        h = self.ln1(x)
        x = x + self.attn(h, h, mask)
        return x + self.ff(self.ln2(x))


class DecoderLayer(torch.nn.Module):
    def __init__(self, d, heads, ff):
        super().__init__()
        self.ln1, self.ln2, self.ln3 = (torch.nn.LayerNorm(d) for _ in range(3))
        self.self_attn, self.cross, self.ff = Attention(d, heads), Attention(d, heads), FeedForward(d, ff)

    def forward(self, y, memory, self_mask, cross_mask):
        h = self.ln1(y)
        y = y + self.self_attn(h, h, self_mask)
        y = y + self.cross(self.ln2(y), memory, cross_mask)
        return y + self.ff(self.ln3(y))


class S2s(torch.nn.Module):
    def __init__(self, q, k, d, heads, enc, dec, ff):
        super().__init__()
        self.q, self.v = q, k + 3  # K codes plus PAD, BOS, EOS
        self.emb_enc = torch.nn.Embedding(q * self.v, d)
        self.emb_dec = torch.nn.Embedding(q * self.v, d)
        self.register_buffer("offsets", torch.arange(q) * self.v)
        self.encoder = torch.nn.ModuleList(EncoderLayer(d, heads, ff) for _ in range(enc))
        self.decoder = torch.nn.ModuleList(DecoderLayer(d, heads, ff) for _ in range(dec))
        self.enc_ln, self.dec_ln = torch.nn.LayerNorm(d), torch.nn.LayerNorm(d)
        self.head = torch.nn.Linear(d, q * self.v)
        self.d = d

    def positions(self, t):
        pos = torch.arange(t).unsqueeze(1)
        div = torch.exp(torch.arange(0, self.d, 2) * (-math.log(10000.0) / self.d))
        pe = torch.zeros(t, self.d)
        pe[:, 0::2], pe[:, 1::2] = torch.sin(pos * div), torch.cos(pos * div)
        return pe

    def forward(self, src, tgt, labels, label_mask, enc_mask, self_mask, cross_mask):
        x = self.emb_enc(src + self.offsets).sum(2) + self.positions(src.shape[1])
        for layer in self.encoder:
            x = layer(x, enc_mask)
        memory = self.enc_ln(x)
        y = self.emb_dec(tgt + self.offsets).sum(2) + self.positions(tgt.shape[1])
        for layer in self.decoder:
            y = layer(y, memory, self_mask, cross_mask)
        logits = self.head(self.dec_ln(y)).view(-1, self.v)
        ce = F.cross_entropy(logits, labels.reshape(-1), reduction="none")
        mask = label_mask.repeat_interleave(self.q)
        return (ce * mask).sum() / mask.sum()


def shots(size, threads, warmup, measured):
    torch.manual_seed(1)
    torch.set_num_threads(threads)
    q, k, d, heads, enc, dec, ff = SIZES[size]
    model = S2s(q, k, d, heads, enc, dec, ff)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    src = torch.randint(0, k, (ROWS, SOURCE, q))
    answer = torch.randint(0, k, (ROWS, TARGET, q))
    bos, eos = torch.full((ROWS, 1, q), k + 1), torch.full((ROWS, 1, q), k + 2)
    tgt, labels = torch.cat([bos, answer], 1), torch.cat([answer, eos], 1)
    label_mask = torch.ones(ROWS * (TARGET + 1))
    td = TARGET + 1
    enc_mask = torch.zeros(1, 1, SOURCE, SOURCE)
    self_mask = torch.triu(torch.full((td, td), -1e9), 1).view(1, 1, td, td)
    cross_mask = torch.zeros(1, 1, td, SOURCE)
    out = []
    for i in range(warmup + measured):
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = model(src, tgt, labels, label_mask, enc_mask, self_mask, cross_mask)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        elapsed = time.perf_counter() - start
        if i >= warmup:
            out.append(elapsed)
    return out


def blas_library():
    """The libblas.so.3 the dynamic linker gives torch (Debian's alternatives), or 'unknown'."""
    for link in glob.glob("/usr/lib/*-linux-gnu/libblas.so.3"):
        return os.path.realpath(link)
    return "unknown"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", required=True, help="JSON file to write")
    p.add_argument("--shots", type=int, default=10, help="measured single shots per case (default 10)")
    p.add_argument("--warmup", type=int, default=3, help="warm-up shots per case (default 3)")
    p.add_argument("--sizes", default="tiny,default", help="comma-separated sizes (default tiny,default)")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    a = p.parse_args()
    blas = blas_library()
    if blas != "unknown" and not any(fast in blas for fast in ("openblas", "mkl", "blis")):
        print(f"warning: torch multiplies matrices with {blas}, the reference BLAS (about 5x slower); "
              "install OpenBLAS (apt-get install libopenblas0-pthread) for a fair comparison", flush=True)
    results = []
    for size in a.sizes.split(","):
        for threads in (int(t) for t in a.threads.split(",")):
            times = shots(size, threads, a.warmup, a.shots)
            results.append({"size": size, "threads": threads, "shotSeconds": times,
                             "medianSeconds": statistics.median(times), "maxSeconds": max(times)})
            print(f"PyTorch {size:8s} {threads} thread(s): median {statistics.median(times):.3f} s, "
                  f"max {max(times):.3f} s over {len(times)} shots", flush=True)
    with open(a.out, "w") as f:
        json.dump({"torch": torch.__version__, "blas": blas, "rows": ROWS, "sourceFrames": SOURCE,
                   "targetFrames": TARGET, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
