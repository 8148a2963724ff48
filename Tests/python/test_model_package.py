"""Model packages and sharded simulation end to end (issue 12).

`gnpe-kernel new-model ShardDemo` makes a SwiftPM package depending on this checkout; it is
built once per test session into `.build/model-package-test/` (kept between sessions: the first
build compiles GNPE's library modules in debug, ~4 minutes on 2 busy cores; later ones only what changed).
Then:

- its own tests pass, and `simulate` in 3 shards equals `simulate` in one, bit for bit, and
  `train --from` loads them (through `appendSimulations(from:)`);
- `scripts/ray-simulate` runs 8 shards as tasks of a local Ray cluster; the shards' θ and x equal
  a single-process run bit for bit, and an NPE trained on them — by the package's `train`
  executable and in the kernel, after `%install` of the package — gives the same posterior samples
  as one trained on `appendSimulations(count:seed:)` with the same seed. Skipped where `ray` is
  not importable. Prints the launcher's throughput with 1 and 2 Ray CPUs.

All tests here carry the `model_package` marker (`-m "not model_package"` leaves them out).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import PACKAGE_ROOT, REAL_KERNEL, kernel_binary
from helpers import run_cell, running_kernel, stream_text

pytestmark = pytest.mark.model_package

WORK = PACKAGE_ROOT / ".build" / "model-package-test"
NAME = "ShardDemo"
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1")


def run(command: list[str], timeout: float = 3600, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=ENV, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, command))} failed ({done.returncode}):\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def package() -> Path:
    """The generated package, built (debug: the build is the slow part, the simulations are small)."""
    package = WORK / NAME
    if package.exists():
        shutil.rmtree(package)
    WORK.mkdir(parents=True, exist_ok=True)
    made = run([str(kernel_binary()), "new-model", NAME, "--directory", str(WORK), "--gnpe-path", str(PACKAGE_ROOT)])
    assert f"Created the model package {NAME}" in made.stdout
    manifest = (package / "Package.swift").read_text()
    assert f'.package(path: "{PACKAGE_ROOT}")' in manifest
    # The same dependency versions as the checkout (and no network round trip to resolve them).
    if (PACKAGE_ROOT / "Package.resolved").exists():
        shutil.copy(PACKAGE_ROOT / "Package.resolved", package / "Package.resolved")
    run(["swift", "build", "--package-path", str(package), "--scratch-path", str(WORK / "build"), "--build-tests"])
    return package


def executable(name: str) -> str:
    return str(WORK / "build" / "debug" / name)


def shards(directory: Path) -> tuple[np.ndarray, np.ndarray]:
    """θ and x of all shards in a directory, concatenated in index order."""
    manifests = sorted(directory.glob("shard-*.json"))
    theta = [np.load(directory / json.loads(m.read_text())["parameters"]["name"]) for m in manifests]
    x = [np.load(directory / json.loads(m.read_text())["data"]["name"]) for m in manifests]
    return np.concatenate(theta), np.concatenate(x)


def test_new_model_refuses_a_bad_name_and_an_existing_folder(tmp_path: Path) -> None:
    bad = subprocess.run([str(kernel_binary()), "new-model", "9lives", "--directory", str(tmp_path)],
                         capture_output=True, text=True)
    assert bad.returncode != 0 and "must be ASCII letters" in bad.stderr
    (tmp_path / "Taken").mkdir()
    taken = subprocess.run([str(kernel_binary()), "new-model", "Taken", "--directory", str(tmp_path),
                            "--gnpe-path", str(PACKAGE_ROOT)], capture_output=True, text=True)
    assert taken.returncode != 0 and "exists already" in taken.stderr


def test_generated_package_tests_pass_and_three_shards_equal_one_run(package: Path, tmp_path: Path) -> None:
    tested = run(["swift", "test", "--package-path", str(package), "--scratch-path", str(WORK / "build"), "--skip-build"])
    assert "Test run with 3 tests" in tested.stdout + tested.stderr
    three, one = tmp_path / "three", tmp_path / "one"
    for i in range(3):
        out = run([executable("simulate"), "--count", "500", "--seed", "9", "--shard", str(i), "--shards", "3", "--out", str(three)])
        assert f"shard {i} of 3" in out.stdout
    run([executable("simulate"), "--count", "500", "--seed", "9", "--out", str(one)])
    theta3, x3 = shards(three)
    theta1, x1 = shards(one)
    assert theta3.shape == (500, 3) and x3.shape == (500, 100)
    assert theta3.tobytes() == theta1.tobytes() and x3.tobytes() == x1.tobytes()
    trained = run([executable("train"), "--from", str(three), "--epochs", "1", "--samples", "10"])
    assert "trained on 500 simulations" in trained.stdout
    # A missing shard is refused by appendSimulations(from:), naming the file.
    (three / "shard-0001-of-0003.json").unlink()
    refused = subprocess.run([executable("train"), "--from", str(three), "--epochs", "1"], capture_output=True, text=True, env=ENV)
    assert refused.returncode != 0 and "shard-0001-of-0003.json" in refused.stderr


def test_ray_launcher_shards_equal_a_single_process_run(package: Path, tmp_path: Path) -> None:
    try:
        import ray  # noqa: F401
    except ImportError:
        pytest.skip("ray is not installed (pip install ray): the Ray launcher test needs it")
    count, seed = 4000, 3
    launcher = [sys.executable, str(PACKAGE_ROOT / "scripts" / "ray-simulate"), "--simulate", executable("simulate"),
                "--count", str(count), "--seed", str(seed), "--shards", "8", "--json"]
    reports = {}
    for cpus in (1, 2):
        out = tmp_path / f"ray-{cpus}"
        done = run(launcher + ["--out", str(out), "--num-cpus", str(cpus)], timeout=1200)
        report = json.loads(done.stdout.strip().splitlines()[-1])
        assert report["failed_shards"] == [] and report["problems"] == [] and report["kept"] == count
        reports[cpus] = report
        print(f"\nray-simulate, {cpus} Ray CPU(s): 8 shards of {count} simulations in {report['wall_seconds']} s "
              f"= {report['simulations_per_second']} simulations/s")
    single = tmp_path / "single"
    run([executable("simulate"), "--count", str(count), "--seed", str(seed), "--out", str(single)])
    theta8, x8 = shards(tmp_path / "ray-2")
    theta1, x1 = shards(single)
    assert theta8.tobytes() == theta1.tobytes() and x8.tobytes() == x1.tobytes()
    # The launcher's verification notices a damaged shard.
    verify = [sys.executable, str(PACKAGE_ROOT / "scripts" / "ray-simulate"), "--verify-only", "--count", str(count),
              "--seed", str(seed), "--shards", "8", "--out", str(tmp_path / "ray-1")]
    run(verify)
    damaged = tmp_path / "ray-1" / "shard-0005-of-0008.x.npy"
    damaged.write_bytes(damaged.read_bytes()[:-8])
    checked = subprocess.run(verify, capture_output=True, text=True)
    assert checked.returncode == 1 and "shard-0005-of-0008.x.npy" in checked.stderr
    # Training on the 8 shards equals training on the same run simulated in one process.
    from_shards, in_process = tmp_path / "shards.npy", tmp_path / "process.npy"
    run([executable("train"), "--from", str(tmp_path / "ray-2"), "--epochs", "2", "--samples-out", str(from_shards)])
    run([executable("train"), "--count", str(count), "--seed", str(seed), "--epochs", "2", "--samples-out", str(in_process)])
    a, b = np.load(from_shards), np.load(in_process)
    assert a.shape == (200, 3) and a.tobytes() == b.tobytes()
    # The same in the kernel: %install the package mid-session, load the 8 shards, train, and get
    # exactly the estimator a single-process simulation with the same seed gives.
    with running_kernel(REAL_KERNEL, startup_timeout=120) as (_, kc):
        reply, outputs = run_cell(kc, "let before = 41", timeout=120)
        assert reply["status"] == "ok", outputs
        reply, outputs = run_cell(kc, f"%install '.package(path: \"{package}\")' {NAME}", timeout=1800)
        assert reply["status"] == "ok", outputs
        code = f"""
import Foundation
import {NAME}
let shardModel = try {NAME}Model.model()
let fromShards = NPE(model: shardModel), inProcess = NPE(model: shardModel)
for estimator in [fromShards, inProcess] {{ estimator.settings.maximumEpochs = 2 }}
_ = try fromShards.appendSimulations(from: URL(fileURLWithPath: "{tmp_path / 'ray-2'}"))
_ = try inProcess.appendSimulations(count: {count}, seed: {seed})
_ = try fromShards.train(force: true)
_ = try inProcess.train(force: true)
let observation = inProcess.data.row(0)
let a = try fromShards.posterior.sample(count: 100, given: observation, seed: 1)
let b = try inProcess.posterior.sample(count: 100, given: observation, seed: 1)
print("kernel:", fromShards.simulationCount, fromShards.parameters == inProcess.parameters,
      fromShards.float32Data == inProcess.float32Data, a == b, before + 1)
"""
        reply, outputs = run_cell(kc, code, timeout=1200)
        assert reply["status"] == "ok", outputs
        assert stream_text(outputs).strip() == f"kernel: {count} true true true 42"
