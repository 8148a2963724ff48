"""The kernel's session directory, its signing policy and what happens to its processes.

Each test gets its own Jupyter runtime directory (JUPYTER_RUNTIME_DIR), where jupyter_client
writes the connection file and the kernel keeps its private `gnpe-kernel-<pid>-<random>/`.
"""
from __future__ import annotations

import fcntl
import glob
import json
import os
import signal
import stat
import subprocess
import time
from pathlib import Path

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from jupyter_client.manager import KernelManager

from conftest import FAKE_KERNEL, REAL_KERNEL, kernel_binary
from helpers import run_cell, stream_text, wait_for_stream
from test_protocol_fake_engine import process_is_running

CELL_TIMEOUT = 120


@pytest.fixture()
def runtime_dir(tmp_path, monkeypatch) -> Path:
    runtime = tmp_path / "runtime"
    runtime.mkdir()
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    return runtime


def start(name: str, log_path: Path) -> tuple[KernelManager, BlockingKernelClient]:
    km = KernelManager(kernel_name=name)
    # Kept open for the manager's lifetime: a restart launches the kernel with it again.
    log = open(log_path, "w", buffering=1)
    km.start_kernel(stderr=log)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=CELL_TIMEOUT)
    return km, kc


def session_dirs(runtime: Path, pid: int | None = None) -> list[Path]:
    pattern = f"gnpe-kernel-{pid}-*" if pid is not None else "gnpe-kernel-*"
    return [Path(p) for p in glob.glob(str(runtime / pattern))]


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} within {timeout} s")
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    found = []
    for path in glob.glob("/proc/[0-9]*/stat"):
        try:
            text = open(path).read()
        except OSError:
            continue
        if int(text[text.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(path.split("/")[2]))
    return found


def worker_of(kernel_pid: int) -> int:
    for child in children(kernel_pid):
        try:
            if open(f"/proc/{child}/comm").read().strip() == "gnpe-worker":
                return child
        except OSError:
            pass
    raise AssertionError(f"kernel {kernel_pid} has no gnpe-worker child")


def test_session_directory_is_private_and_removed_at_shutdown(runtime_dir, tmp_path) -> None:
    km, kc = start(REAL_KERNEL, tmp_path / "kernel.log")
    pid = km.provisioner.process.pid
    try:
        [directory] = session_dirs(runtime_dir, pid)
        reply, _ = run_cell(kc, "struct Point { var x = 1 }\nlet origin = Point()", timeout=CELL_TIMEOUT)
        assert reply["status"] == "ok", reply
        reply, outputs = run_cell(
            kc, 'import Foundation\nprint(ProcessInfo.processInfo.environment["GNPE_SESSION_DIR"] ?? "unset")\n'
                'print(origin.x)', timeout=CELL_TIMEOUT)
        assert reply["status"] == "ok", reply
        assert stream_text(outputs) == f"{directory}\n1\n"

        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
        modes = {}
        for folder, subfolders, files in os.walk(directory):
            for name in subfolders:
                modes[os.path.join(folder, name)] = stat.S_IMODE(os.lstat(os.path.join(folder, name)).st_mode)
            for name in files:
                modes[os.path.join(folder, name)] = stat.S_IMODE(os.lstat(os.path.join(folder, name)).st_mode)
        suffixes = {Path(p).suffix for p in modes}
        assert {".so", ".swiftmodule", ".swift"} <= suffixes, sorted(modes)
        exposed = {p: oct(m) for p, m in modes.items() if m & 0o077}
        assert not exposed, f"readable by others: {exposed}"
        assert "listening on tcp 127.0.0.1 only" in (tmp_path / "kernel.log").read_text()
        assert "signed with hmac-sha256" in (tmp_path / "kernel.log").read_text()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert not directory.exists(), "the session directory outlived the kernel"


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGHUP"])
def test_a_signal_removes_the_session_directory(runtime_dir, tmp_path, signal_name) -> None:
    km, kc = start(FAKE_KERNEL, tmp_path / "kernel.log")
    pid = km.provisioner.process.pid
    try:
        [directory] = session_dirs(runtime_dir, pid)
        os.kill(pid, getattr(signal, signal_name))
        wait_until(lambda: not km.is_alive(), 5, f"the kernel did not exit on {signal_name}")
        assert not directory.exists()
        assert f"received {signal_name}" in (tmp_path / "kernel.log").read_text()
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=True)


def test_stale_directories_are_swept_and_live_ones_kept(runtime_dir, tmp_path) -> None:
    stale = runtime_dir / "gnpe-kernel-999999-stale"
    (stale / "cells").mkdir(parents=True)
    (stale / "lock").touch()
    (stale / "cells" / "libCell_1.so").write_bytes(b"old")
    live = runtime_dir / "gnpe-kernel-1-live"
    live.mkdir()
    unrelated = runtime_dir / "kernel-other.json"
    unrelated.write_text("{}")
    with open(live / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a live kernel holds its lock
        km, kc = start(FAKE_KERNEL, tmp_path / "kernel.log")
        try:
            assert not stale.exists(), "a dead kernel's directory was not swept"
            assert live.exists(), "a live kernel's directory was removed"
            assert unrelated.exists()
            assert "removed the session directory of a kernel that is gone" in (tmp_path / "kernel.log").read_text()
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)
    assert live.exists()


def test_a_restart_keeps_the_kept_items(runtime_dir, tmp_path) -> None:
    km, kc = start(FAKE_KERNEL, tmp_path / "kernel.log")
    try:
        [directory] = session_dirs(runtime_dir, km.provisioner.process.pid)
        (directory / "kept" / "a.json").write_text('{"kind": "simulations"}')
        old_pid = km.provisioner.process.pid
        km.restart_kernel(now=False)
        kc.wait_for_ready(timeout=CELL_TIMEOUT)
        assert km.provisioner.process.pid != old_pid
        assert (directory / "kept" / "a.json").exists(), "kept/ did not survive the restart"
        assert session_dirs(runtime_dir) == [directory]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    assert not directory.exists()


def unsigned_connection_file(path: Path) -> None:
    write_connection_file(str(path), key=b"")
    assert json.loads(path.read_text())["key"] == ""


def test_an_empty_key_is_refused_without_the_flag(runtime_dir, tmp_path) -> None:
    connection = tmp_path / "unsigned.json"
    unsigned_connection_file(connection)
    done = subprocess.run([str(kernel_binary()), "run", "--connection-file", str(connection), "--fake-engine"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert 'empty "key"' in done.stderr and "--allow-unsigned" in done.stderr, done.stderr
    assert not session_dirs(runtime_dir)


def test_an_empty_key_is_accepted_with_the_flag(runtime_dir, tmp_path) -> None:
    connection = tmp_path / "unsigned.json"
    unsigned_connection_file(connection)
    log_path = tmp_path / "kernel.log"
    with open(log_path, "w") as log:
        kernel = subprocess.Popen(
            [str(kernel_binary()), "run", "--connection-file", str(connection), "--fake-engine", "--allow-unsigned"],
            stdout=subprocess.DEVNULL, stderr=log)
    kc = BlockingKernelClient()
    kc.load_connection_file(str(connection))
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        reply, outputs = run_cell(kc, 'print("unsigned")')
        assert reply["status"] == "ok"
        assert "NOT signed" in log_path.read_text()
    finally:
        kc.stop_channels()
        kernel.terminate()
        kernel.wait(timeout=10)


def test_a_large_output_goes_through_and_the_next_cell_runs(runtime_dir, tmp_path) -> None:
    km, kc = start(REAL_KERNEL, tmp_path / "kernel.log")
    try:
        # 20 MiB in 20,480 lines of 1,024 bytes.
        reply, outputs = run_cell(
            kc, 'let line = String(repeating: "x", count: 1023)\nfor _ in 0..<20_480 { print(line) }',
            timeout=CELL_TIMEOUT)
        assert reply["status"] == "ok", reply
        text = stream_text(outputs)
        assert len(text) == 20_480 * 1024 and text.count("\n") == 20_480
        reply, outputs = run_cell(kc, "line.count + 1", timeout=CELL_TIMEOUT)
        assert reply["status"] == "ok"
        assert [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"] == ["1024"]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def test_a_front_end_that_dies_mid_cell_leaves_no_process(runtime_dir, tmp_path) -> None:
    connection = tmp_path / "connection.json"
    write_connection_file(str(connection), key=b"front-end-dies")
    # The front end: a shell that starts the kernel and waits; it is killed mid-cell.
    front_end = subprocess.Popen(
        ["sh", "-c", f'"{kernel_binary()}" run --connection-file "{connection}" 2>/dev/null & echo $!; wait'],
        stdout=subprocess.PIPE, text=True)
    kernel_pid = int(front_end.stdout.readline())
    kc = BlockingKernelClient()
    kc.load_connection_file(str(connection))
    kc.start_channels()
    worker = None
    try:
        kc.wait_for_ready(timeout=CELL_TIMEOUT)
        msg_id = kc.execute('import Foundation\nprint("running")\nThread.sleep(forTimeInterval: 120)')
        wait_for_stream(kc, msg_id, "running", CELL_TIMEOUT)
        worker = worker_of(kernel_pid)
        [directory] = session_dirs(runtime_dir, kernel_pid)
        front_end.kill()
        front_end.wait(timeout=5)
        wait_until(lambda: not process_is_running(kernel_pid), 10, "the kernel outlived its front end")
        wait_until(lambda: not process_is_running(worker), 10, "the worker outlived the kernel")
        assert not directory.exists()
    finally:
        kc.stop_channels()
        for pid in (kernel_pid, worker):
            if pid and process_is_running(pid):
                os.kill(pid, signal.SIGKILL)
