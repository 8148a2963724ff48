"""sbi's NPE on the 5-D linear-Gaussian model of Tests/InferenceTests/LinearGaussianNPETests.swift.

The same model (prior N(0, diag(s^2)), x = A theta + N(0, 0.5^2 I_10)), the same three observations
as the Swift test, 10,000 simulations, sbi's defaults (MAF, 5 transforms, 50 hidden units, no
embedding, batch 200, lr 5e-4, patience 20), three training seeds. For each observation it prints
the largest |mean error| in posterior sd, the largest relative sd error, the largest
correlation error and c2st (sbi's c2st,
sbibm's definition) against 10,000 exact posterior samples: the spread these figures have for the
reference implementation is what the Swift test's tolerances are set from.

Run: $REFERENCE_PYTHON benchmarks/reference/linear_gaussian_sbi.py   (needs torch and sbi)
"""
import os
import tempfile
import time

import numpy as np
import torch
from sbi.inference import NPE
from sbi.utils.metrics import c2st

torch.set_num_threads(1)
os.chdir(tempfile.mkdtemp())  # sbi writes TensorBoard logs to ./sbi-logs
s = np.array([1.0, 0.5, 2.0, 1.0, 1.5])
noise = 0.5
A = np.array([[(1 if i % 5 == j else 0) + 0.4 * np.cos(3 * i + 7 * j + 1) for j in range(5)] for i in range(10)])
S = np.linalg.inv(np.diag(1 / s**2) + A.T @ A / noise**2)
sd = np.sqrt(np.diag(S))
# The Swift test's observations (truths [0.5, -0.3, 1, 0, -1.2], [-1, 0.4, -2, 1.5, 0.3],
# [0.2, 0.1, 0, -0.8, 2] with noise from RandomSource(seed: 100)).
observations = np.array([
    [-0.40993454789583117, -0.3120848787280216, 0.6455201675321119, -0.8468531107551458, 0.2956842022175121,
     0.2170058089606431, 1.1230342686599806, -0.7340250181054209, 1.2988597065872058, -2.017135495500928],
    [-2.033729628013282, 0.8585897200217741, -2.329932958934495, 2.907186046598489, -1.236991646799236,
     0.8815977287588709, -0.37390647674138, -1.9574487545015182, 0.7526493262177033, 1.1288211825100283],
    [0.18424180793141715, 0.5557582555374002, -0.5791866477465322, 0.4168238089013817, 1.327945942607215,
     0.18689168205302148, -0.965172933334051, 0.6315896602519429, -1.8375063396757811, 2.238986545217314],
])
prior = torch.distributions.Independent(torch.distributions.Normal(torch.zeros(5), torch.tensor(s, dtype=torch.float32)), 1)
for seed in [0, 1, 2]:
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=(10_000, 5)) * s
    x = theta @ A.T + noise * rng.normal(size=(10_000, 10))
    inference = NPE(prior=prior, density_estimator="maf", show_progress_bars=False)
    start = time.time()
    estimator = inference.append_simulations(torch.tensor(theta, dtype=torch.float32), torch.tensor(x, dtype=torch.float32)).train()
    posterior = inference.build_posterior(estimator)
    print(f"seed {seed}: {inference.epoch} epochs, {time.time() - start:.1f} s", flush=True)
    for k, xo in enumerate(observations):
        mean = S @ (A.T @ xo) / noise**2
        samples = posterior.sample((10_000,), x=torch.tensor(xo, dtype=torch.float32), show_progress_bars=False).numpy()
        exact = rng.multivariate_normal(mean, S, size=10_000)
        mean_error = np.abs(samples.mean(0) - mean) / sd
        sd_error = np.abs(samples.std(0) / sd - 1)
        correlation_error = np.abs(np.corrcoef(samples.T) - S / np.outer(sd, sd)).max()
        score = float(c2st(torch.tensor(samples), torch.tensor(exact, dtype=torch.float32)))
        print(f"  observation {k}: max |mean error| {mean_error.max():.3f} sd, max sd error {sd_error.max():.3f}, max correlation error {correlation_error:.3f}, c2st {score:.3f}", flush=True)
