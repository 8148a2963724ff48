"""Shared set-up for the kernel's Python test suite.

Installs two kernelspecs from the already-built release binary `.build/release/gnpe-kernel`
into a temporary prefix and points JUPYTER_PATH at it (before any test starts a kernel):

- `swift-gnpe`: the real kernel (Swift cells compiled by the cell engine);
- `swift-gnpe-fake`: the same binary with its hidden built-in fake engine, which tests the
  Jupyter protocol itself in milliseconds, independently of the Swift compiler.

Set GNPE_KERNEL_BINARY to test another build (e.g. `.build/debug/gnpe-kernel`).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_BINARY = PACKAGE_ROOT / ".build" / "release" / "gnpe-kernel"
REAL_KERNEL = "swift-gnpe"
FAKE_KERNEL = "swift-gnpe-fake"

_prefix: str | None = None


def kernel_binary() -> Path:
    """The gnpe-kernel binary under test."""
    return Path(os.environ.get("GNPE_KERNEL_BINARY", str(DEFAULT_BINARY))).resolve()


def pytest_configure(config: pytest.Config) -> None:
    global _prefix
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


def pytest_unconfigure(config: pytest.Config) -> None:
    if _prefix:
        shutil.rmtree(_prefix, ignore_errors=True)


@pytest.fixture(scope="session")
def kernelspec_prefix() -> str:
    """The temporary prefix holding the test kernelspecs."""
    assert _prefix is not None
    return _prefix
