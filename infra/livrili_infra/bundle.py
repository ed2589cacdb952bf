"""The Chalice project as Lambda runs it: the app's code and configuration, with its
dependencies resolved for Lambda's Python (not for the Python running the synthesis).

Chalice picks the Lambda runtime from the interpreter that runs it and, for a binary package,
asks pip for wheels of that interpreter's version. Lambda's python3.11 can no longer create
functions (deprecated 2026-06-30) while the toolchain here is 3.11, so the dependencies are
installed by pip for the target runtime (`--python-version 3.13 --only-binary=:all:`, plus
wheels built here for the few pure-Python sdists) into `vendor/`, which Chalice ships as it
is, and the bundle's own `requirements.txt` is empty.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

LAMBDA_PYTHON = "3.13"
PLATFORMS = ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64")
CODE = ("app.py", "chalicelib")
# Per-function Lambda settings. They go in the bundle's config under each stack's Chalice stage
# (the construct names the stage after the stack): there they outrank the construct's
# `stage_config`, which would otherwise apply to every function alike.
FUNCTIONS = {
    "api_handler": {"lambda_memory_size": 1024, "lambda_timeout": 29},
    "process_product_image": {"lambda_memory_size": 1536, "lambda_timeout": 60},
    "check_document": {"lambda_memory_size": 1536, "lambda_timeout": 60},
    "rebuild_search_index": {"lambda_memory_size": 1024, "lambda_timeout": 300},
    "send_notifications": {"lambda_memory_size": 512, "lambda_timeout": 60},
    "relay_outbox": {"lambda_memory_size": 256, "lambda_timeout": 60},
    "send_credit_reminders": {"lambda_memory_size": 512, "lambda_timeout": 300},
    "low_stock_digest": {"lambda_memory_size": 256, "lambda_timeout": 60},
}


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args], check=True)  # noqa: S603


def _vendor(requirements: Path, cache: Path) -> Path:
    """Dependencies for the Lambda runtime, built once per requirements file."""
    digest = hashlib.sha256(requirements.read_bytes() + LAMBDA_PYTHON.encode()).hexdigest()[:16]
    target = cache / f"vendor-{digest}"
    if (target / ".complete").exists():
        return target
    shutil.rmtree(target, ignore_errors=True)
    wheelhouse = cache / f"wheelhouse-{digest}"
    # pure-Python packages published only as sdists get a py3-none-any wheel built here
    _pip("wheel", "-r", str(requirements), "-w", str(wheelhouse))
    platforms = [arg for p in PLATFORMS for arg in ("--platform", p)]
    _pip(
        "install",
        "--target",
        str(target),
        "--python-version",
        LAMBDA_PYTHON,
        "--implementation",
        "cp",
        "--only-binary=:all:",
        *platforms,
        "--find-links",
        str(wheelhouse),
        "-r",
        str(requirements),
    )
    (target / ".complete").write_text(digest)
    return target


def build(root: Path, out: Path, stacks: list[str]) -> Path:
    """Assemble the bundle in `out` (code copied fresh, dependencies cached); returns `out`."""
    vendor = _vendor(root / "requirements.txt", out.parent / "cache")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in CODE:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, out / name)
    (out / ".chalice").mkdir()
    shutil.copy2(root / ".chalice" / "policy-base.json", out / ".chalice" / "policy-base.json")
    config = json.loads((root / ".chalice" / "config.json").read_text())
    functions = {name: {"iam_policy_file": "policy-base.json", **settings} for name, settings in FUNCTIONS.items()}
    config["stages"] = {stack: {"lambda_functions": functions} for stack in stacks}
    (out / ".chalice" / "config.json").write_text(json.dumps(config, indent=2, ensure_ascii=False))
    (out / "requirements.txt").write_text("")
    shutil.copytree(vendor, out / "vendor", ignore=shutil.ignore_patterns(".complete", "__pycache__"))
    return out
