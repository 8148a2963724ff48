"""The Jupyter protocol, tested against the kernel's built-in fake engine (`--fake-engine`).

The fake engine runs one command per line (`print("t")`, `eprint("t")`, `let x = 1`, a final
literal or name, `display("t")`, `clear()`, `readLine()`, `sleep(s)`, `fail("m")`, `crash()`), so
these tests check sockets, signing, message order, interrupts, stdin, history and shutdown in
milliseconds, independently of the Swift cell compiler.
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import jupyter_kernel_test as jkt
import pytest
import zmq
from jupyter_client.connect import write_connection_file
from jupyter_client.session import Session

from conftest import FAKE_KERNEL, kernel_binary
from helpers import collect_iopub, results, run_cell, running_kernel, shell_reply, stream_text


class TestFakeEnginePeerSuite(jkt.KernelTests):
    """jupyter_kernel_test's peer suite with the fake engine's samples."""

    kernel_name = FAKE_KERNEL
    language_name = "swift"
    file_extension = ".swift"
    code_hello_world = 'print("hello, world")'
    code_stderr = 'eprint("oops")'
    completion_samples = [{"text": "pri", "matches": {"print"}}]
    complete_code_samples = ['print("x")', "let a = 1"]
    incomplete_code_samples = ["print((", 'print("abc']
    invalid_code_samples = ["print())"]
    code_generate_error = 'fail("boom")'
    code_execute_result = [{"code": "42", "result": "42"}, {"code": '"text"', "result": "text"}]
    code_history_pattern = "4*"
    supported_history_operations = ("tail", "range", "search")
    code_display_data = [{"code": 'display("shown")', "mime": "text/plain"}]
    code_inspect_sample = "print"
    code_clear_output = 'print("a")\nclear()'


@pytest.fixture()
def kernel():
    with running_kernel(FAKE_KERNEL, startup_timeout=20) as (km, kc):
        yield km, kc


def test_state_and_execution_count(kernel) -> None:
    _, kc = kernel
    first, _ = run_cell(kc, "let x = 5")
    reply, outputs = run_cell(kc, "x")
    assert reply["status"] == "ok"
    assert reply["execution_count"] == first["execution_count"] + 1
    assert results(outputs) == ["5"]
    executed = [m for m in outputs if m["msg_type"] == "execute_result"]
    assert executed[0]["content"]["execution_count"] == reply["execution_count"]


def test_silent_cells_do_not_count_or_publish(kernel) -> None:
    _, kc = kernel
    before, _ = run_cell(kc, "let y = 1")
    reply, outputs = run_cell(kc, 'print("quiet")\n7', silent=True)
    assert reply["status"] == "ok"
    assert [m["msg_type"] for m in outputs] == ["status"]  # busy only
    after, _ = run_cell(kc, "y")
    assert after["execution_count"] == before["execution_count"] + 1


def test_error_reply_and_iopub_error(kernel) -> None:
    _, kc = kernel
    reply, outputs = run_cell(kc, 'fail("broken thing")')
    assert reply["status"] == "error"
    assert reply["ename"] == "FakeError" and reply["evalue"] == "broken thing"
    errors = [m for m in outputs if m["msg_type"] == "error"]
    assert len(errors) == 1 and errors[0]["content"]["traceback"]


def test_stop_on_error_aborts_queued_cells(kernel) -> None:
    _, kc = kernel
    failing = kc.execute('sleep(0.3)\nfail("stop")')
    queued = kc.execute('print("must not run")')
    assert shell_reply(kc, failing, 10)["content"]["status"] == "error"
    assert shell_reply(kc, queued, 10)["content"]["status"] == "aborted"
    reply, outputs = run_cell(kc, 'print("runs again")')
    assert reply["status"] == "ok" and stream_text(outputs) == "runs again\n"


def test_output_streams_before_the_cell_ends(kernel) -> None:
    _, kc = kernel
    msg_id = kc.execute('print("early")\nsleep(1.5)\nprint("late")')
    arrivals = []
    while True:
        msg = kc.get_iopub_msg(timeout=10)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        arrivals.append((time.monotonic(), msg))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    streams = [(t, m["content"]["text"]) for t, m in arrivals if m["msg_type"] == "stream"]
    assert "".join(text for _, text in streams) == "early\nlate\n"
    assert arrivals[-1][0] - streams[0][0] > 1.0, "the first line arrived only at the end"


def test_many_small_writes_are_coalesced(kernel) -> None:
    _, kc = kernel
    code = "\n".join(f'print("line {i}")' for i in range(2000))
    reply, outputs = run_cell(kc, code)
    assert reply["status"] == "ok"
    assert stream_text(outputs) == "".join(f"line {i}\n" for i in range(2000))
    assert len([m for m in outputs if m["msg_type"] == "stream"]) < 200


def test_interrupt_stops_the_cell_and_keeps_state(kernel) -> None:
    km, kc = kernel
    run_cell(kc, "let kept = 11")
    msg_id = kc.execute("sleep(30)")
    time.sleep(0.5)
    started = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, 10)
    assert time.monotonic() - started < 1.0
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted"
    _, outputs = run_cell(kc, "kept")
    assert results(outputs) == ["11"]


def test_input_request_on_stdin(kernel) -> None:
    _, kc = kernel
    msg_id = kc.execute("readLine()", allow_stdin=True)
    request = kc.get_stdin_msg(timeout=10)
    assert request["msg_type"] == "input_request"
    assert request["parent_header"]["msg_id"] == msg_id
    kc.input("typed text")
    outputs = collect_iopub(kc, msg_id, 10)
    assert stream_text(outputs) == "read: typed text\n"
    # Without allow_stdin, the cell gets no input instead of hanging.
    _, outputs = run_cell(kc, "readLine()", allow_stdin=False)
    assert stream_text(outputs) == "read: nil\n"


def test_kernel_info_on_control_and_comms(kernel) -> None:
    _, kc = kernel
    request = kc.session.msg("kernel_info_request")
    kc.control_channel.send(request)
    reply = kc.control_channel.get_msg(timeout=5)
    assert reply["parent_header"]["msg_id"] == request["header"]["msg_id"]
    assert reply["content"]["protocol_version"] == "5.3"
    assert reply["content"]["language_info"]["name"] == "swift"

    msg_id = kc.comm_info()
    assert shell_reply(kc, msg_id, 5)["content"]["comms"] == {}
    opening = kc.session.msg("comm_open", {"comm_id": "c-1", "target_name": "nobody", "data": {}})
    kc.shell_channel.send(opening)
    outputs = collect_iopub(kc, opening["header"]["msg_id"], 5)
    closes = [m for m in outputs if m["msg_type"] == "comm_close"]
    assert closes and closes[0]["content"]["comm_id"] == "c-1"


def test_history_tail_range_search(kernel) -> None:
    _, kc = kernel
    for code in ("let a = 1", "let b = 2", "a"):
        run_cell(kc, code)
    run_cell(kc, "let hidden = 3", store_history=False)
    msg_id = kc.history(hist_access_type="tail", n=2, output=False, raw=True)
    history = shell_reply(kc, msg_id, 5)["content"]["history"]
    assert [entry[2] for entry in history] == ["let b = 2", "a"]
    msg_id = kc.history(hist_access_type="range", session=history[0][0], start=history[0][1],
                        stop=history[0][1] + 1, output=False, raw=True)
    assert [e[2] for e in shell_reply(kc, msg_id, 5)["content"]["history"]] == ["let b = 2"]
    msg_id = kc.history(hist_access_type="search", pattern="let *", output=False, raw=True)
    assert [e[2] for e in shell_reply(kc, msg_id, 5)["content"]["history"]] == ["let a = 1", "let b = 2"]


def send_with_wrong_key(kc, code: str) -> str:
    """Sends an execute_request on the shell port signed with a key that is not the kernel's."""
    context = zmq.Context.instance()
    socket = context.socket(zmq.DEALER)
    socket.linger = 500
    socket.connect(f"{kc.transport}://{kc.ip}:{kc.shell_port}")
    forger = Session(key=b"not-the-connection-key", username=kc.session.username)
    msg = forger.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                         "user_expressions": {}, "allow_stdin": False,
                                         "stop_on_error": True})
    forger.send(socket, msg)
    time.sleep(0.5)
    socket.close()
    return msg["header"]["msg_id"]


def test_bad_signature_is_dropped_and_logged(tmp_path) -> None:
    from jupyter_client.manager import KernelManager
    log_path = tmp_path / "kernel.log"
    km = KernelManager(kernel_name=FAKE_KERNEL)
    with open(log_path, "w") as log:
        km.start_kernel(stderr=log)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=20)
        forged_id = send_with_wrong_key(kc, "let forged = 1")
        reply, outputs = run_cell(kc, "forged")
        assert reply["status"] == "error", "the forged cell ran"
        # Nothing at all was published or replied for the forged request.
        time.sleep(0.2)
        while True:
            try:
                msg = kc.get_iopub_msg(timeout=0.2)
            except Exception:
                break
            assert msg["parent_header"].get("msg_id") != forged_id
        assert "invalid HMAC signature" in log_path.read_text()
    finally:
        kc.stop_channels()
        km.shutdown_kernel()


def test_shutdown_request_ends_the_process(kernel) -> None:
    km, kc = kernel
    pid = km.provisioner.process.pid
    msg_id = kc.shutdown()
    reply = kc.control_channel.get_msg(timeout=5)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "ok" and reply["content"]["restart"] is False
    deadline = time.monotonic() + 5
    while km.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not km.is_alive(), f"kernel {pid} still running after shutdown_reply"


def process_is_running(pid: int) -> bool:
    """Whether `pid` exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_exits_when_its_parent_goes_away(tmp_path) -> None:
    connection_file = str(tmp_path / "connection.json")
    write_connection_file(connection_file, key=b"parent-test")
    # A short-lived shell starts the kernel in the background and exits after one second.
    parent = subprocess.run(
        ["sh", "-c", f'"{kernel_binary()}" run --connection-file "{connection_file}" --fake-engine '
                     '>/dev/null 2>&1 & echo $!; sleep 1'],
        capture_output=True, text=True, check=True,
        env={k: v for k, v in os.environ.items() if k != "JPY_PARENT_PID"},
    )
    pid = int(parent.stdout.strip())
    deadline = time.monotonic() + 5
    alive = True
    while time.monotonic() < deadline:
        if not process_is_running(pid):
            alive = False
            break
        time.sleep(0.1)
    if alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, "the kernel kept running after its parent exited"


def test_heartbeat_echoes(kernel) -> None:
    _, kc = kernel
    context = zmq.Context.instance()
    socket = context.socket(zmq.REQ)
    socket.linger = 0
    socket.connect(f"{kc.transport}://{kc.ip}:{kc.hb_port}")
    try:
        socket.send(b"ping-123")
        assert socket.poll(2000), "no heartbeat echo within 2 s"
        assert socket.recv() == b"ping-123"
    finally:
        socket.close()
