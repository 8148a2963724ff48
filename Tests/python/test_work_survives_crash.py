"""Work survives a crash, end to end: the library keeps what took time in the kernel's session
directory (GNPE_SESSION_DIR), the kernel lists it in the crash report, and the user gets it back
with the report's one line or by re-running the cells that made it.

Each test starts its own kernel with its own Jupyter runtime directory, so the kept items of one
test never show up in another's report."""
from __future__ import annotations

import re

import pytest

from conftest import REAL_KERNEL
from helpers import run_cell, running_kernel, stream_text

CELL_TIMEOUT = 180

# A small model: two parameters, five noisy values; deterministic given the seed.
MODEL = """
let model = try SimulationModel {
    Parameter("a", Uniform(0, 1))
    Parameter("b", Uniform(-1, 1))
    Simulator(outputLength: 5) { θ, _ in (0..<5).map { i in θ[0] * Double(i) + θ[1] } }
    NoiseModel.gaussian(sigma: 0.1)
}
"""

TRAIN = """
let npe = NPE(model: model)
npe.settings.maximumEpochs = 4
_ = try npe.appendSimulations(count: 2_000, seed: 1)
try npe.train()
let draws = try npe.posterior.sample(count: 3, given: [0.1, 0.6, 1.1, 1.6, 2.1], seed: 7)
print("draws", draws.storage)
"""


@pytest.fixture()
def kernel(tmp_path, monkeypatch):
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    with running_kernel(REAL_KERNEL, startup_timeout=CELL_TIMEOUT) as (km, kc):
        yield km, kc


def cell(kc, code: str) -> tuple[dict, list[dict]]:
    return run_cell(kc, code, timeout=CELL_TIMEOUT)


def crash_report(outputs: list[dict]) -> str:
    errors = [m for m in outputs if m["msg_type"] == "error"]
    assert len(errors) == 1, [m["msg_type"] for m in outputs]
    assert errors[0]["content"]["ename"] == "Crash", errors[0]["content"]
    return "\n".join(errors[0]["content"]["traceback"])


def draws_line(outputs: list[dict]) -> str:
    lines = [line for line in stream_text(outputs).splitlines() if line.startswith("draws")]
    assert len(lines) == 1, stream_text(outputs)
    return lines[0]


def test_a_trained_estimator_comes_back_after_a_crash(kernel) -> None:
    _, kc = kernel
    reply, _ = cell(kc, MODEL)
    assert reply["status"] == "ok", reply
    reply, outputs = cell(kc, TRAIN)
    assert reply["status"] == "ok", reply
    before = draws_line(outputs)

    reply, outputs = cell(kc, "let numbers = [1, 2, 3]\nlet index = numbers.count + 1\nprint(numbers[index])")
    assert reply["status"] == "error"
    report = crash_report(outputs)
    assert "Kept from this session" in report, report
    assert "NPE, 2 parameters" in report, report
    restore = re.search(r"let npe = try NPE\.load\(fromPath: .*\)", report)
    assert restore, report

    # The report's own line brings the estimator back: the same draws for the same seed.
    reply, outputs = cell(
        kc, restore.group(0) + '\nprint("draws", try npe.posterior.sample(count: 3, given: [0.1, 0.6, 1.1, 1.6, 2.1], seed: 7).storage)')
    assert reply["status"] == "ok", reply
    assert draws_line(outputs) == before

    # Re-running the cells restores it too, without training again.
    reply, _ = cell(kc, MODEL)
    assert reply["status"] == "ok", reply
    reply, outputs = cell(kc, TRAIN)
    assert reply["status"] == "ok", reply
    assert "restored the NPE trained earlier in this session" in stream_text(outputs), stream_text(outputs)
    assert draws_line(outputs) == before


def test_a_trapping_simulator_is_named_and_its_good_simulations_resume(kernel) -> None:
    _, kc = kernel
    # A slow simulator (0.2 ms a call, so checkpoints are worth writing) that traps for a ≥ 0.99
    # (1 % of the calls) once it has run 5,000 times, so that checkpoints exist by then.
    model = """
import Foundation
SessionStore.checkpointInterval = 0.05
let callLock = NSLock()
var calls = 0
func response(_ θ: [Double], trapping: Bool) -> [Double] {
    usleep(200)
    callLock.lock()
    calls += 1
    let call = calls
    callLock.unlock()
    if trapping && call > 5_000 && θ[0] >= 0.99 { fatalError("the simulator's model breaks down here") }
    if θ[0] >= 0.99 { return [Double](repeating: .nan, count: 5) }
    return (0..<5).map { i in θ[0] * Double(i) + θ[1] }
}
let fragile = try SimulationModel {
    Parameter("a", Uniform(0, 1))
    Parameter("b", Uniform(-1, 1))
    Simulator(outputLength: 5) { θ, _ in response(θ, trapping: true) }
}
"""
    reply, _ = cell(kc, model)
    assert reply["status"] == "ok", reply
    reply, outputs = cell(kc, "let npe = NPE(model: fragile)\nlet kept = try npe.appendSimulations(count: 20_000, seed: 3)")
    assert reply["status"] == "error"
    report = crash_report(outputs)
    trapped = re.search(
        r"the simulator trapped while simulating θ = \(a = ([0-9.]+), b = ([-0-9.]+)\) \(simulation ([0-9,]+) of 20,000, seed 3\)",
        report)
    assert trapped, report
    assert float(trapped.group(1)) >= 0.99, report
    assert int(trapped.group(3).replace(",", "")) > 2_500, report  # half the calls on each core
    assert "Kept from this session" in report and "simulations" in report, report

    # The fixed simulator (NaN, never a trap) gives the same output for every θ, so the same call
    # resumes from the checkpoint; the θ with a ≥ 0.99 are dropped and counted.
    fixed = model.replace("trapping: true", "trapping: false")
    assert fixed != model
    reply, _ = cell(kc, fixed)
    assert reply["status"] == "ok", reply
    reply, outputs = cell(kc, 'let npe = NPE(model: fragile)\nlet kept = try npe.appendSimulations(count: 20_000, seed: 3)\nprint("kept", kept, "dropped", npe.discardedSimulationCount)')
    assert reply["status"] == "ok", reply
    text = stream_text(outputs)
    assert "resuming from the checkpoint" in text, text
    kept, dropped = map(int, re.search(r"kept (\d+) dropped (\d+)", text).groups())
    assert kept + dropped == 20_000 and 120 <= dropped <= 280, text  # 1 % of 20,000
