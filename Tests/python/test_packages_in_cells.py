"""`%include` and `%install` in cells, end to end through jupyter_client with the real kernel.

The packages are in `fixtures/packages/` (each one tiny target); the kernel runs in `fixtures/`,
so relative paths in the directives are relative to it, as they are to a notebook's folder.
Every kernel of the run shares one package cache (conftest), so a package is built once per run.
"""
from __future__ import annotations

import glob
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import REAL_KERNEL
from helpers import results, run_cell, running_kernel, stream_text

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A cold `swift build` of a fixture package (SwiftPM resolution, a few small modules, a link)
# takes tens of seconds on a loaded 2-core machine.
INSTALL_TIMEOUT = 600
CELL_TIMEOUT = 120
CACHE_HIT = "SwiftPM did not run"


@pytest.fixture(scope="module")
def kernel():
    with running_kernel(REAL_KERNEL, startup_timeout=CELL_TIMEOUT, cwd=str(FIXTURES)) as (km, kc):
        run_cell(kc, "let warmUp = 1", timeout=CELL_TIMEOUT)
        yield km, kc


def cell(kc, code: str, timeout: float = CELL_TIMEOUT) -> tuple[dict, list[dict]]:
    return run_cell(kc, code, timeout=timeout)


def error_of(outputs: list[dict]) -> dict:
    errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
    assert len(errors) == 1, outputs
    return errors[0]


def install_line(package: str) -> str:
    return f"%install '.package(path: \"packages/{package}\")' {package}"


# --- %include -------------------------------------------------------------------------------

def test_include_compiles_a_file_in_place_of_the_line(kernel) -> None:
    _, kc = kernel
    reply, outputs = cell(kc, 'let before = 1\n%include "include/helper.swift"\nprint(helperDouble(includedValue) + before)')
    assert reply["status"] == "ok", reply
    assert stream_text(outputs) == "43\n"
    # What the file declared stays for later cells, like a cell's declarations.
    _, outputs = cell(kc, "helperDouble(5)")
    assert results(outputs) == ["10"]


def test_include_errors_point_at_the_files_lines(kernel) -> None:
    _, kc = kernel
    reply, outputs = cell(kc, 'let x = 1\n%include "include/broken.swift"')
    assert reply["status"] == "error"
    traceback = "\n".join(error_of(outputs)["traceback"])
    assert "include/broken.swift:3:18: error:" in traceback, traceback
    assert 'let wrong: Int = "text"' in traceback
    assert cell(kc, "1 + 1")[0]["status"] == "ok"


def test_including_a_missing_file_is_a_clear_error_and_the_session_goes_on(kernel) -> None:
    _, kc = kernel
    cell(kc, "var survivor = 7")
    reply, outputs = cell(kc, 'print("not run")\n%include "include/missing.swift"')
    assert reply["status"] == "error"
    error = error_of(outputs)
    assert error["ename"] == "DirectiveError"
    assert "2: error: cannot include `include/missing.swift`" in error["traceback"][0]
    assert "does not exist" in error["evalue"]
    assert "not run" not in stream_text(outputs)
    _, outputs = cell(kc, "survivor")
    assert results(outputs) == ["7"]


def test_an_unknown_directive_names_itself(kernel) -> None:
    _, kc = kernel
    reply, outputs = cell(kc, "%magic on")
    assert reply["status"] == "error"
    assert "unknown directive `%magic`" in error_of(outputs)["evalue"]


# --- %install -------------------------------------------------------------------------------

def test_install_mid_session_keeps_earlier_values(kernel) -> None:
    _, kc = kernel
    cell(kc, "var kept = 41\nfinal class Box { var value = 1 }\nlet box = Box()\nbox.value = 5")
    reply, outputs = cell(kc, install_line("Greeting"), timeout=INSTALL_TIMEOUT)
    assert reply["status"] == "ok", (reply, stream_text(outputs))
    assert "Installed Greeting" in stream_text(outputs)
    reply, outputs = cell(kc, 'import Greeting\nprint(greeting(for: "notebook"), kept + 1, box.value)')
    assert reply["status"] == "ok", reply
    assert stream_text(outputs) == "Hello, notebook! 42 5\n"


def test_a_cached_install_runs_no_swiftpm_in_this_or_a_new_session(kernel) -> None:
    _, kc = kernel
    first = stream_text(cell(kc, install_line("Greeting"), timeout=INSTALL_TIMEOUT)[1])
    assert "Installed Greeting" in first
    again = stream_text(cell(kc, install_line("Greeting"))[1])
    assert CACHE_HIT in again and "Building" not in again, again
    with running_kernel(REAL_KERNEL, startup_timeout=CELL_TIMEOUT, cwd=str(FIXTURES)) as (_, other):
        reply, outputs = run_cell(other, install_line("Greeting") + '\nimport Greeting\nprint(greeting(for: "again"))',
                                  timeout=CELL_TIMEOUT)
        assert reply["status"] == "ok", reply
        text = stream_text(outputs)
        assert CACHE_HIT in text and "Building" not in text, text
        assert "Hello, again!" in text


def test_an_edited_local_package_is_rebuilt(kernel, tmp_path) -> None:
    _, kc = kernel
    # A package of its own name (two packages with one module name in a session would clash).
    package = tmp_path / "Editable"
    (package / "Sources" / "Editable").mkdir(parents=True)
    manifest = (FIXTURES / "packages" / "Greeting" / "Package.swift").read_text()
    (package / "Package.swift").write_text(manifest.replace("Greeting", "Editable"))
    source = package / "Sources" / "Editable" / "Editable.swift"
    source.write_text("public let editableVersion = 1\n")
    line = f"%install '.package(path: \"{package}\")' Editable"
    reply, outputs = cell(kc, line, timeout=INSTALL_TIMEOUT)
    assert reply["status"] == "ok", stream_text(outputs)
    assert CACHE_HIT in stream_text(cell(kc, line)[1])
    source.write_text("public let editableVersion = 22\n")  # another size, whatever the clock's resolution
    reply, outputs = cell(kc, line, timeout=INSTALL_TIMEOUT)
    assert reply["status"] == "ok", stream_text(outputs)
    text = stream_text(outputs)
    assert "Building" in text and CACHE_HIT not in text, text
    assert "restart the kernel to use the new build" in text, text


def test_a_package_depending_on_gnpe_uses_the_loaded_library_and_trains(kernel) -> None:
    _, kc = kernel
    reply, outputs = cell(kc, install_line("TinyModel"), timeout=INSTALL_TIMEOUT)
    assert reply["status"] == "ok", (reply, stream_text(outputs))
    code = """import TinyModel
let tiny = try TinyModel.model()
print("same type:", ObjectIdentifier(TinyModel.modelType) == ObjectIdentifier(SimulationModel.self))
let tinyNPE = NPE(model: tiny)
tinyNPE.settings.maximumEpochs = 3
try tinyNPE.appendSimulations(count: 400, seed: 1)
let tinyHistory = try tinyNPE.train()
let tinySamples = try tinyNPE.posterior.sample(count: 50, given: [0.2, -0.3], seed: 2)
print("epochs:", tinyHistory.epochCount, "samples:", tinySamples.rowVectors.count)"""
    reply, outputs = cell(kc, code, timeout=INSTALL_TIMEOUT)
    assert reply["status"] == "ok", (reply, outputs)
    text = stream_text(outputs)
    assert "same type: true" in text, text
    assert "epochs: 3 samples: 50" in text, text
    # The package's library links libGNPE.so and holds none of GNPE's code (its modules'
    # symbols are not defined in it): the package's model and the notebook's share one copy.
    library = next(json.load(open(record))["libraryPath"]
                   for record in glob.glob(os.path.join(os.environ["GNPE_PACKAGE_CACHE"], "*", "installed.json"))
                   if "TinyModel" in json.load(open(record))["products"])
    needed = subprocess.run(["readelf", "-d", library], capture_output=True, text=True, check=True).stdout
    assert "[libGNPE.so]" in needed, needed
    defined = subprocess.run(["nm", "-D", "--defined-only", library], capture_output=True, text=True, check=True).stdout
    gnpe_symbols = [line for line in defined.splitlines()
                    if any(f"$s{len(m)}{m}" in line for m in ("Inference", "TensorCore", "Flows", "GNPE"))]
    assert not gnpe_symbols, gnpe_symbols[:5]
    assert "9TinyModel" in defined


def test_a_broken_package_reports_its_compiler_error_and_the_next_cell_works(kernel) -> None:
    _, kc = kernel
    cell(kc, "let beforeBroken = 3")
    reply, outputs = cell(kc, install_line("Broken"), timeout=INSTALL_TIMEOUT)
    assert reply["status"] == "error"
    error = error_of(outputs)
    assert error["ename"] == "InstallError"
    traceback = "\n".join(error["traceback"])
    assert "Broken.swift:2:5: error: cannot convert" in traceback, traceback
    _, outputs = cell(kc, "beforeBroken * 2")
    assert results(outputs) == ["6"]


def test_a_remote_package_that_cannot_be_fetched_fails_clearly(kernel) -> None:
    _, kc = kernel
    # `.invalid` never resolves (RFC 2606): the same failure as a machine without network.
    reply, outputs = cell(
        kc, "%install '.package(url: \"https://example.invalid/nobody/Nothing.git\", from: \"1.0.0\")' Nothing",
        timeout=INSTALL_TIMEOUT)
    assert reply["status"] == "error"
    error = error_of(outputs)
    assert error["ename"] == "InstallError"
    traceback = "\n".join(error["traceback"])
    assert "cannot fetch https://example.invalid/nobody/Nothing.git" in error["evalue"], error
    assert "example.invalid" in traceback and "error:" in traceback, traceback
    assert len(error["traceback"]) <= 22
    assert cell(kc, "1")[0]["status"] == "ok"


def test_completion_sees_installed_modules(kernel) -> None:
    _, kc = kernel
    cell(kc, install_line("Greeting"), timeout=INSTALL_TIMEOUT)
    code = "import Greeting\ngreet"
    msg_id = kc.complete(code, len(code))
    reply = kc.get_shell_msg(timeout=CELL_TIMEOUT)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert any(match.startswith("greeting") for match in reply["content"]["matches"]), reply["content"]


def test_installed_packages_stay_usable_after_a_worker_crash(kernel) -> None:
    _, kc = kernel
    assert cell(kc, install_line("Greeting"), timeout=INSTALL_TIMEOUT)[0]["status"] == "ok"
    reply, outputs = cell(kc, "let crashNow: [Int] = []\nprint(crashNow[1])")
    assert reply["status"] == "error" and error_of(outputs)["ename"] == "Crash"
    # The new worker has not loaded the package; the cell's library needs it and loads it.
    reply, outputs = cell(kc, 'import Greeting\nprint(greeting(for: "a new worker"))')
    assert reply["status"] == "ok", outputs
    assert stream_text(outputs) == "Hello, a new worker!\n"
