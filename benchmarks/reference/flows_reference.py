"""PyTorch reference for benchmarks/flows: the same conditional flows, data and training loop
as benchmarks/flows-benchmark, built with zuko on the CPU.

Install: pip install torch zuko   (CPU wheels suffice, e.g. torch==2.13.0+cpu)
Usage:   python flows_reference.py <data-dir> [--epochs N] [--threads N]
Reads <data-dir>/theta.f32 and x.f32 (written by flows-benchmark) and prints one JSON line.

Architecture (matching the Swift side): z-scored θ ∈ R³ and x ∈ R²⁰⁰; embedding
Linear(200,128)-ReLU-Linear(128,128)-ReLU-Linear(128,20); 5 masked autoregressive transforms
with MADE hidden layers (50, 50) and alternating feature order; MAF with tanh, NSF with ReLU
and 10 bins. Training: Adam lr 5e-4, batch 200, gradient-norm clipping at 5, one warm-up
epoch then `epochs` timed epochs. Sampling: 10,000 samples for one observation, best of 3.
"""

import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn as nn
import zuko


def peak_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


class Posterior(nn.Module):
    def __init__(self, kind):
        super().__init__()
        self.embedding = nn.Sequential(
            nn.Linear(200, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 20))
        if kind == "maf":
            self.flow = zuko.flows.MAF(3, 20, transforms=5, hidden_features=(50, 50), activation=nn.Tanh)
        else:
            self.flow = zuko.flows.NSF(3, 20, bins=10, transforms=5, hidden_features=(50, 50))

    def forward(self, x):
        return self.flow(self.embedding(x))


def run(kind, theta, x, epochs):
    torch.manual_seed(1)
    model = Posterior(kind)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
    n, batch = theta.shape[0], 200
    reset_peak()
    start = 0.0
    for epoch in range(epochs + 1):
        if epoch == 1:
            start = time.perf_counter()
        order = torch.randperm(n)
        for b in range(0, n, batch):
            rows = order[b:b + batch]
            optimizer.zero_grad()
            loss = -model(x[rows]).log_prob(theta[rows]).mean()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
    train = epochs * n / (time.perf_counter() - start)
    train_mb = peak_mb()
    reset_peak()
    observation = x[:1]
    best = float("inf")
    with torch.no_grad():
        model(observation).sample((1000,))
        for _ in range(3):
            t0 = time.perf_counter()
            s = model(observation).sample((10_000,))
            best = min(best, time.perf_counter() - t0)
            assert torch.isfinite(s).all()
    return {"train": train, "sample": 10_000 / best, "train_mb": train_mb, "sample_mb": peak_mb(),
            "loss": float(loss.detach())}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    theta = np.fromfile(os.path.join(args.data, "theta.f32"), dtype="<f4").reshape(-1, 3)
    x = np.fromfile(os.path.join(args.data, "x.f32"), dtype="<f4").reshape(-1, 200)
    # z-score once, as the Swift flows do internally from the same training data.
    theta = (theta - theta.mean(0)) / theta.std(0, ddof=1)
    x = (x - x.mean(0)) / x.std(0, ddof=1)
    theta, x = torch.from_numpy(theta.copy()), torch.from_numpy(x.copy())
    out = {"threads": args.threads, "torch": torch.__version__, "zuko": zuko.__version__}
    for kind in ("maf", "nsf"):
        r = run(kind, theta, x, args.epochs)
        out.update({f"train_{kind}": r["train"], f"sample_{kind}": r["sample"],
                    f"train_peak_mb_{kind}": r["train_mb"], f"sample_peak_mb_{kind}": r["sample_mb"],
                    f"loss_{kind}": r["loss"]})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
