"""End-to-end tests of the real kernel (`swift-gnpe`): Swift cells compiled and run by the
cell engine in its worker process, driven through jupyter_client."""
from __future__ import annotations

import time

import jupyter_kernel_test as jkt
import pytest

from conftest import REAL_KERNEL
from helpers import collect_iopub, results, run_cell, running_kernel, shell_reply, stream_text, wait_for_stream
from test_protocol_fake_engine import process_is_running, send_with_wrong_key

# Cells compile with swiftc (~0.5 s each) and the first one warms the module cache.
CELL_TIMEOUT = 120


class TestSwiftPeerSuite(jkt.KernelTests):
    """jupyter_kernel_test's peer suite with Swift samples."""

    kernel_name = REAL_KERNEL
    language_name = "swift"
    file_extension = ".swift"
    code_hello_world = 'print("hello, world")'
    code_stderr = 'import Foundation\nFileHandle.standardError.write(Data("oops\\n".utf8))'
    completion_samples = [{"text": "pri"}, {"text": "let numbers = [1, 2]\nnumbers.co"}]
    complete_code_samples = ["let x = 1", 'print("hi")', "func f() -> Int { 1 }"]
    incomplete_code_samples = ["func f() {", "let a = [1, 2,", 'let s = """\nabc']
    invalid_code_samples = ["}", "let x = )"]
    code_generate_error = 'let broken: Int = "text"'
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": "ab"},
    ]
    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")
    code_display_data = [{"code": 'display("shown")', "mime": "text/plain"}]
    code_inspect_sample = "print"
    code_clear_output = 'print("before")\nclearOutput()'

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        # Warm the compiler's module cache so that the peer suite's 15 s timeouts hold.
        run_cell(cls.kc, "let warmUp = 1", timeout=CELL_TIMEOUT)


@pytest.fixture(scope="module")
def kernel():
    with running_kernel(REAL_KERNEL, startup_timeout=CELL_TIMEOUT) as (km, kc):
        run_cell(kc, "let warmUp = 1", timeout=CELL_TIMEOUT)
        yield km, kc


def cell(kc, code: str, **kwargs) -> tuple[dict, list[dict]]:
    return run_cell(kc, code, timeout=CELL_TIMEOUT, **kwargs)


def test_state_persists_across_cells(kernel) -> None:
    _, kc = kernel
    assert cell(kc, "var counter = 1")[0]["status"] == "ok"
    assert cell(kc, "counter += 41")[0]["status"] == "ok"
    reply, outputs = cell(kc, "counter")
    assert reply["status"] == "ok", reply
    assert results(outputs) == ["42"]
    cell(kc, "struct Point { var x: Int; var y: Int }\nlet p = Point(x: 1, y: 2)")
    _, outputs = cell(kc, "p.x + p.y")
    assert results(outputs) == ["3"]


def test_later_definitions_replace_earlier_ones(kernel) -> None:
    _, kc = kernel
    cell(kc, 'func greet() -> String { "one" }\nlet value = 1')
    cell(kc, 'func greet() -> String { "two" }\nlet value = "text"')
    reply, outputs = cell(kc, 'greet() + " " + value')
    assert reply["status"] == "ok", reply
    assert results(outputs) == ["two text"]


def test_print_output_streams_while_the_cell_runs(kernel) -> None:
    _, kc = kernel
    msg_id = kc.execute(
        'import Foundation\nfor i in 0..<3 {\n    print("tick \\(i)")\n'
        "    Thread.sleep(forTimeInterval: 0.7)\n}"
    )
    arrivals = []
    while True:
        msg = kc.get_iopub_msg(timeout=CELL_TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        arrivals.append((time.monotonic(), msg))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    streams = [(t, m) for t, m in arrivals if m["msg_type"] == "stream"]
    assert "".join(m["content"]["text"] for _, m in streams) == "tick 0\ntick 1\ntick 2\n"
    assert arrivals[-1][0] - streams[0][0] > 1.0, "print output arrived only when the cell ended"


def test_crash_restarts_the_worker_and_the_next_cell_runs(kernel) -> None:
    _, kc = kernel
    reply, outputs = cell(kc, 'fatalError("deliberate crash")')
    assert reply["status"] == "error"
    errors = [m for m in outputs if m["msg_type"] == "error"]
    assert len(errors) == 1
    report = "\n".join(errors[0]["content"]["traceback"]) + errors[0]["content"]["evalue"]
    assert "deliberate crash" in report or "signal" in report.lower()
    reply, outputs = cell(kc, 'print("alive again")')
    assert reply["status"] == "ok", reply
    assert stream_text(outputs) == "alive again\n"


def test_interrupt_stops_a_library_loop_and_keeps_state(kernel) -> None:
    km, kc = kernel
    cell(kc, "var progress = 0")
    msg_id = kc.execute(
        "print(\"looping\")\n"
        "for i in 0..<2_000_000_000 {\n    try Interruption.checkpoint(\"loop \\(i)\")\n"
        "    progress = i\n}"
    )
    wait_for_stream(kc, msg_id, "looping", CELL_TIMEOUT)
    time.sleep(0.5)  # let it run for a while
    started = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, 30)
    assert time.monotonic() - started < 2.0, "the interrupt took longer than a second or two"
    assert reply["content"]["status"] == "error"
    collect_iopub(kc, msg_id, 10)
    reply, outputs = cell(kc, "progress > 0")
    assert reply["status"] == "ok", reply
    assert results(outputs) == ["true"], "state before the interrupt was lost"


def test_bad_signature_is_never_executed(kernel) -> None:
    _, kc = kernel
    send_with_wrong_key(kc, "let forgedValue = 1")
    reply, _ = cell(kc, "forgedValue")
    assert reply["status"] == "error", "a message with a bad signature was executed"


def test_shutdown_ends_kernel() -> None:
    with running_kernel(REAL_KERNEL, startup_timeout=CELL_TIMEOUT) as (km, kc):
        cell(kc, 'print("before shutdown")')
        pid = km.provisioner.process.pid
        started = time.monotonic()
        km.shutdown_kernel(now=False)
        assert time.monotonic() - started < 5
        assert not process_is_running(pid)


def test_interrupt_of_a_tight_loop_restarts_the_worker(kernel) -> None:
    km, kc = kernel
    msg_id = kc.execute('var spins = 0\nprint("spinning")\nwhile true { spins &+= 1 }')
    wait_for_stream(kc, msg_id, "spinning", CELL_TIMEOUT)
    time.sleep(0.5)
    started = time.monotonic()
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id, 30)
    assert time.monotonic() - started < 10.0
    assert reply["content"]["status"] == "error"
    collect_iopub(kc, msg_id, 10)
    reply, outputs = cell(kc, 'print("after the restart")')
    assert reply["status"] == "ok", reply
    assert stream_text(outputs) == "after the restart\n"


def test_read_line_asks_the_front_end(kernel) -> None:
    _, kc = kernel
    msg_id = kc.execute('let answer = readLine()\nprint("got \\(answer ?? "nil")")', allow_stdin=True)
    request = kc.get_stdin_msg(timeout=CELL_TIMEOUT)
    assert request["msg_type"] == "input_request"
    kc.input("forty-two")
    outputs = collect_iopub(kc, msg_id, CELL_TIMEOUT)
    assert stream_text(outputs) == "got forty-two\n"
    assert shell_reply(kc, msg_id, 10)["content"]["status"] == "ok"


def test_a_redefined_type_replaces_the_old_one(kernel) -> None:
    _, kc = kernel
    cell(kc, "struct Shape { var sides = 3 }")
    cell(kc, 'struct Shape { var name = "square"; var sides = 4 }')
    reply, outputs = cell(kc, "Shape().name + String(Shape().sides)")
    assert reply["status"] == "ok", reply
    assert results(outputs) == ["square4"]


def test_display_ids_and_rich_results(kernel) -> None:
    _, kc = kernel
    _, outputs = cell(kc, 'display("first", id: "progress")')
    shown = [m for m in outputs if m["msg_type"] == "display_data"]
    assert shown and shown[0]["content"]["transient"] == {"display_id": "progress"}
    _, outputs = cell(kc, 'updateDisplay("second", id: "progress")')
    updates = [m for m in outputs if m["msg_type"] == "update_display_data"]
    assert updates and updates[0]["content"]["data"]["text/plain"] == "second"
    assert updates[0]["content"]["transient"] == {"display_id": "progress"}

    cell(kc, 'struct Banner: RichDisplayable {\n'
             '    var mimeBundle: [String: String] { ["text/html": "<b>hi</b>", "text/plain": "hi"] }\n}')
    reply, outputs = cell(kc, "Banner()")
    executed = [m for m in outputs if m["msg_type"] == "execute_result"]
    assert executed, outputs
    assert executed[0]["content"]["data"]["text/html"] == "<b>hi</b>"
    assert executed[0]["content"]["execution_count"] == reply["execution_count"]
