"""`gnpe-kernel install` and `--help`."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import PACKAGE_ROOT, REAL_KERNEL, kernel_binary


def test_install_writes_a_kernelspec_jupyter_lists(tmp_path: Path) -> None:
    env = dict(os.environ, GNPE_KERNELSPEC_DIR=str(PACKAGE_ROOT / "kernelspec"))
    subprocess.run([str(kernel_binary()), "install", "--prefix", str(tmp_path)], check=True, env=env)
    folder = tmp_path / "share" / "jupyter" / "kernels" / "swift-gnpe"
    spec = json.loads((folder / "kernel.json").read_text())
    assert spec["argv"][1:] == ["run", "--connection-file", "{connection_file}"]
    assert Path(spec["argv"][0]).is_absolute() and os.access(spec["argv"][0], os.X_OK)
    assert Path(spec["argv"][0]).resolve() == kernel_binary()
    assert spec["language"] == "swift"
    assert spec["interrupt_mode"] == "message"
    assert spec["display_name"] == "Swift (GNPE)"
    for logo in ("logo-32x32.png", "logo-64x64.png", "logo-svg.svg"):
        assert (folder / logo).stat().st_size > 0
    listed = subprocess.run(
        ["jupyter", "kernelspec", "list", "--json"], check=True, capture_output=True, text=True,
        env=dict(os.environ, JUPYTER_PATH=str(tmp_path / "share" / "jupyter")),
    )
    specs = json.loads(listed.stdout)["kernelspecs"]
    assert Path(specs["swift-gnpe"]["resource_dir"]) == folder


def test_install_rejects_two_locations(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(kernel_binary()), "install", "--user", "--prefix", str(tmp_path)],
        capture_output=True, text=True,
    )
    assert result.returncode != 0
    assert "at most one" in result.stderr


def test_help_documents_every_subcommand() -> None:
    top = subprocess.run([str(kernel_binary()), "--help"], check=True, capture_output=True, text=True).stdout
    assert "install" in top and "run" in top
    install = subprocess.run([str(kernel_binary()), "install", "--help"], check=True,
                             capture_output=True, text=True).stdout
    for option in ("--user", "--prefix", "--sys-prefix", "--name"):
        assert option in install
    run = subprocess.run([str(kernel_binary()), "run", "--help"], check=True, capture_output=True, text=True).stdout
    assert "--connection-file" in run


def test_test_kernelspecs_are_visible() -> None:
    from jupyter_client.kernelspec import KernelSpecManager
    assert REAL_KERNEL in KernelSpecManager().find_kernel_specs()
