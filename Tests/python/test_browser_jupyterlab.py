"""End to end in JupyterLab (issue 4): a headless JupyterLab server with the test kernelspec,
a notebook opened in headless Chromium (Debian's, driven by Playwright), its cell run with
Shift+Enter as a user would, and the plot found in the output area as an `<img>` showing an
SVG data URL (JupyterLab draws `image/svg+xml` that way) with a non-trivial natural size."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from conftest import REAL_KERNEL, image_ink

TOKEN = "gnpe-browser-test"
SERVER_START_TIMEOUT_S = 120
CELL_TIMEOUT_MS = 180_000  # the kernel's first cell also warms the compiler's module cache
PLOT_CELL = """import Foundation
let wave = (0..<200).map { sin(Double($0) / 10) }
try DataPlot(channels: [.init("signal", observed: wave)], title: "A plot in JupyterLab")"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LabServer:
    """A running JupyterLab server: its URL, token and root directory."""

    def __init__(self, url: str, root: Path, log: Path) -> None:
        self.url = url
        self.root = root
        self.log = log

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture(scope="module")
def jupyter_lab(tmp_path_factory):
    """JupyterLab on a free local port, with the temporary kernelspecs (JUPYTER_PATH, set by
    conftest) and its own root, config, data, runtime, settings and workspace directories;
    stopped (with its kernels) after the module's tests."""
    pytest.importorskip("jupyterlab", reason="pip install jupyterlab")
    base = tmp_path_factory.mktemp("jupyterlab")
    directories = {name: base / name for name in ("root", "config", "data", "runtime", "settings", "workspaces")}
    for directory in directories.values():
        directory.mkdir()
    port = free_port()
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(directories["config"]),
        JUPYTER_DATA_DIR=str(directories["data"]),
        JUPYTER_RUNTIME_DIR=str(directories["runtime"]),
    )
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={directories['root']}",
        f"--LabApp.user_settings_dir={directories['settings']}",
        f"--LabApp.workspaces_dir={directories['workspaces']}",
        "--LabApp.expose_app_in_browser=True",  # lets the test ask whether the kernel is idle
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = base / "jupyterlab.log"
    with open(log, "wb") as log_file:
        process = subprocess.Popen(command, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", directories["root"], log)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode}:\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(f"{server.url}/api/status?token={TOKEN}", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT_S} s:\n{server.log_tail()}")
            time.sleep(0.5)
        yield server
    finally:
        # SIGTERM: the server shuts its kernels down and exits; kill the group if it lingers.
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def test_running_a_cell_in_jupyterlab_shows_the_svg_plot(jupyter_lab, browser) -> None:
    notebook = new_notebook(
        cells=[new_code_cell(PLOT_CELL)],
        metadata={"kernelspec": {"name": REAL_KERNEL, "display_name": "Swift (GNPE)", "language": "swift"}},
    )
    nbformat.write(notebook, jupyter_lab.root / "plot.ipynb")

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(f"{jupyter_lab.url}/lab/tree/plot.ipynb?token={TOKEN}", wait_until="domcontentloaded",
                  timeout=120_000)
        page.wait_for_selector(".jp-Notebook .jp-Cell .cm-content", timeout=120_000)
        # Wait until the notebook's kernel (swift-gnpe, from the notebook's metadata) is idle.
        page.wait_for_function(
            """() => {
                const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                const kernel = widget && widget.sessionContext && widget.sessionContext.session
                    && widget.sessionContext.session.kernel;
                return kernel && kernel.name === '%s' && kernel.status === 'idle';
            }""" % REAL_KERNEL,
            timeout=120_000,
        )
        page.click(".jp-Notebook .jp-Cell .cm-content")
        page.keyboard.press("Shift+Enter")

        selector = '.jp-OutputArea-output img[src^="data:image/svg+xml"]'
        try:
            image = page.wait_for_selector(selector, timeout=CELL_TIMEOUT_MS)
        except Exception as error:  # Playwright's TimeoutError
            outputs = page.inner_text(".jp-Notebook .jp-OutputArea") if page.query_selector(".jp-OutputArea") else ""
            pytest.fail(f"no SVG image in the output area ({error}); outputs:\n{outputs}\n"
                        f"server log:\n{jupyter_lab.log_tail()}")
        page.wait_for_function("image => image.complete && image.naturalWidth > 0", arg=image, timeout=30_000)
        width, height = image.evaluate("image => [image.naturalWidth, image.naturalHeight]")
        assert width >= 200 and height >= 150, f"the SVG decoded to {width}×{height}"

        image.scroll_into_view_if_needed()
        colours, ink = image_ink(page, image.screenshot())
        assert colours >= 8 and 0.01 <= ink <= 0.9, f"the plot looks blank: {colours} colours, {ink:.1%} ink"
        assert "A plot in JupyterLab" not in page.inner_text(".jp-OutputArea"), \
            "the plot's text/plain fallback was shown instead of its SVG"
    finally:
        page.close()
