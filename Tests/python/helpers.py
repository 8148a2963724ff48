"""Small helpers for driving a kernel through jupyter_client in tests."""
from __future__ import annotations

import time
from contextlib import contextmanager
from queue import Empty
from typing import Any, Iterator

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager, start_new_kernel


@contextmanager
def running_kernel(name: str, startup_timeout: float = 60, **kwargs: Any) -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    """Starts kernel `name` (`kwargs` go to `KernelManager.start_kernel`, e.g. `cwd`), yields
    (manager, client), shuts it down afterwards."""
    km, kc = start_new_kernel(kernel_name=name, startup_timeout=startup_timeout, **kwargs)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        if km.is_alive():
            km.shutdown_kernel(now=False)


def run_cell(kc: BlockingKernelClient, code: str, timeout: float = 60, **kwargs: Any) -> tuple[dict, list[dict]]:
    """Executes `code`; returns (reply content, iopub messages of this request up to idle)."""
    msg_id = kc.execute(code, **kwargs)
    outputs = collect_iopub(kc, msg_id, timeout)
    reply = shell_reply(kc, msg_id, timeout)
    return reply["content"], outputs


def _iopub_until(kc: BlockingKernelClient, msg_id: str, timeout: float, is_last, keep_last: bool, waiting_for: str) -> list[dict]:
    """iopub messages whose parent is `msg_id`, up to the first for which `is_last` is true."""
    deadline = time.monotonic() + timeout
    messages = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no {waiting_for} for {msg_id} within {timeout} s; got {messages}")
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if is_last(msg):
            return messages + [msg] if keep_last else messages
        messages.append(msg)


def collect_iopub(kc: BlockingKernelClient, msg_id: str, timeout: float) -> list[dict]:
    """iopub messages whose parent is `msg_id`, until its `idle` status (excluded)."""
    return _iopub_until(
        kc, msg_id, timeout,
        lambda msg: msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle",
        keep_last=False, waiting_for="idle")


def wait_for_stream(kc: BlockingKernelClient, msg_id: str, text: str, timeout: float) -> list[dict]:
    """iopub messages of `msg_id` until a stream message containing `text` (included).

    Tests that interrupt a running cell wait for a line the cell prints once it runs, rather than
    for a fixed time: on a loaded machine compiling the cell can take longer than any fixed delay.
    """
    return _iopub_until(
        kc, msg_id, timeout,
        lambda msg: msg["msg_type"] == "stream" and text in msg["content"]["text"],
        keep_last=True, waiting_for=f"stream containing {text!r}")


def shell_reply(kc: BlockingKernelClient, msg_id: str, timeout: float) -> dict:
    """The shell reply to `msg_id`."""
    deadline = time.monotonic() + timeout
    while True:
        msg = kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.01))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def stream_text(outputs: list[dict], name: str = "stdout") -> str:
    """All `stream` text of `name` in `outputs`."""
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and m["content"]["name"] == name)


def results(outputs: list[dict]) -> list[str]:
    """The text/plain of each execute_result in `outputs`."""
    return [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
