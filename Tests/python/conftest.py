"""Shared set-up for the kernel's Python test suite.

Installs two kernelspecs from the already-built release binary `.build/release/gnpe-kernel`
into a temporary prefix and points JUPYTER_PATH at it (before any test starts a kernel):

- `swift-gnpe`: the real kernel (Swift cells compiled by the cell engine);
- `swift-gnpe-fake`: the same binary with its hidden built-in fake engine, which tests the
  Jupyter protocol itself in milliseconds, independently of the Swift compiler.

`%install` builds go to one package cache per run (`GNPE_PACKAGE_CACHE`, a temporary folder,
unless it is set already).

Set GNPE_KERNEL_BINARY to test another build (e.g. `.build/debug/gnpe-kernel`).

It also offers `executed_notebook`, which runs a notebook of `notebooks/` once per test session
through nbclient (the notebook tests and the browser tests share the result).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Callable

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = PACKAGE_ROOT / ".build" / "release" / "gnpe-kernel"
REAL_KERNEL = "swift-gnpe"
FAKE_KERNEL = "swift-gnpe-fake"
NOTEBOOKS = sorted((PACKAGE_ROOT / "notebooks").glob("*.ipynb"))
# Per-cell limit: the first cell also warms the compiler's module cache; a cell that trains an
# estimator on the small budget takes well under a minute on 2 cores.
NOTEBOOK_CELL_TIMEOUT = 600 if os.environ.get("GNPE_FULL_BUDGET") else 240

_prefix: str | None = None


def kernel_binary() -> Path:
    """The gnpe-kernel binary under test."""
    return Path(os.environ.get("GNPE_KERNEL_BINARY", str(DEFAULT_BINARY))).resolve()


def pytest_configure(config: pytest.Config) -> None:
    global _prefix
    config.addinivalue_line(
        "markers",
        "model_package: builds a model package made by `gnpe-kernel new-model` (compiles GNPE once into "
        ".build/model-package-test; deselect with -m 'not model_package')",
    )
    binary = kernel_binary()
    if not binary.is_file():
        raise pytest.UsageError(
            f"gnpe-kernel binary not found at {binary}.\n"
            "Build it first:  swift build -c release --product gnpe-kernel "
            "&& swift build -c release --product gnpe-worker\n"
            "(or set GNPE_KERNEL_BINARY to another build)."
        )
    _prefix = tempfile.mkdtemp(prefix="gnpe-kernelspec-")
    env = dict(os.environ, GNPE_KERNELSPEC_DIR=str(PACKAGE_ROOT / "kernelspec"))
    for name, extra in ((REAL_KERNEL, []), (FAKE_KERNEL, ["--fake-engine"])):
        subprocess.run(
            [str(binary), "install", "--prefix", _prefix, "--name", name, *extra],
            check=True, env=env, stdout=subprocess.DEVNULL,
        )
    os.environ["JUPYTER_PATH"] = os.path.join(_prefix, "share", "jupyter")
    # One `%install` cache for every kernel of the run (the first build of a package is slow on
    # a small machine; later installs of it in the run are cache hits), and none from outside.
    if not os.environ.get("GNPE_PACKAGE_CACHE"):
        os.environ["GNPE_PACKAGE_CACHE"] = os.path.join(_prefix, "package-cache")


def pytest_unconfigure(config: pytest.Config) -> None:
    if _prefix:
        shutil.rmtree(_prefix, ignore_errors=True)


@pytest.fixture(scope="session")
def kernelspec_prefix() -> str:
    """The temporary prefix holding the test kernelspecs."""
    assert _prefix is not None
    return _prefix


class ExecutedNotebook:
    """A notebook executed through nbclient: the executed `NotebookNode` and the wall time."""

    def __init__(self, path: Path, notebook, seconds: float) -> None:
        self.path = path
        self.notebook = notebook
        self.seconds = seconds


@pytest.fixture(scope="session")
def executed_notebook() -> Callable[[Path], ExecutedNotebook]:
    """Executes a notebook with the `swift-gnpe` kernel (once per session per notebook).

    Errors in cells do not stop execution (`allow_errors`), so tests can report every error
    output; `GNPE_FULL_BUDGET` is passed through from the environment as it is (normally unset:
    the notebooks' small budget).
    """
    import nbformat
    from nbclient import NotebookClient

    cache: dict[Path, ExecutedNotebook] = {}

    def execute(path: Path) -> ExecutedNotebook:
        path = Path(path).resolve()
        if path not in cache:
            notebook = nbformat.read(path, as_version=4)
            client = NotebookClient(
                notebook, kernel_name=REAL_KERNEL, timeout=NOTEBOOK_CELL_TIMEOUT,
                startup_timeout=120, allow_errors=True,
                resources={"metadata": {"path": str(path.parent)}},
            )
            start = time.monotonic()
            client.execute()
            cache[path] = ExecutedNotebook(path, notebook, time.monotonic() - start)
        return cache[path]

    return execute


# --- Headless Chromium (browser end-to-end tests) ---------------------------------------------

def chromium_executable() -> str | None:
    """Debian's Chromium (or GNPE_CHROMIUM), which Playwright drives instead of a downloaded
    browser (`playwright install` is never needed)."""
    override = os.environ.get("GNPE_CHROMIUM")
    if override:
        return override
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium driven by Playwright; the tests that use it are skipped, with the
    reason, when Playwright (PyPI) or Chromium (Debian) is not installed."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    executable = chromium_executable()
    if executable is None:
        pytest.skip("Chromium not found: apt-get install chromium (or set GNPE_CHROMIUM)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        )
        try:
            yield chromium
        finally:
            chromium.close()


def image_ink(page, png: bytes) -> tuple[int, float]:
    """How much a screenshot shows: (distinct colours, fraction of pixels that differ from the
    most common colour). Decoded by the page's own canvas, so no imaging library is needed."""
    import base64

    return tuple(page.evaluate(
        """async (url) => {
            const image = new Image();
            image.src = url;
            await image.decode();
            const canvas = document.createElement('canvas');
            canvas.width = image.naturalWidth;
            canvas.height = image.naturalHeight;
            const context = canvas.getContext('2d');
            context.drawImage(image, 0, 0);
            const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
            const counts = new Map();
            for (let i = 0; i < pixels.length; i += 4) {
                const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
                counts.set(key, (counts.get(key) || 0) + 1);
            }
            const total = pixels.length / 4;
            const background = Math.max(...counts.values());
            return [counts.size, (total - background) / total];
        }""",
        "data:image/png;base64," + base64.b64encode(png).decode("ascii"),
    ))
