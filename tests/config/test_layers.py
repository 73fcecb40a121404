"""The layer contract (pyproject.toml, run by `make test`) holds today and refuses an app that imports one above
it: checked on a copy of the code with one upward import added."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["config", "network", "accounts", "breaches", "casework", "notifications", "reporting", "audit"]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tree, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(tree)}, timeout=120)


@pytest.fixture
def code_copy(tmp_path) -> Path:
    for app in APPS:
        shutil.copytree(ROOT / app, tmp_path / app, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter n'est pas installé")
def test_the_layers_hold_and_an_upward_import_breaks_them(code_copy):
    assert _lint(code_copy).returncode == 0
    (code_copy / "breaches" / "probe.py").write_text("from casework.models import Case  # noqa\n")
    refused = _lint(code_copy)
    assert refused.returncode != 0
    assert "breaches.probe -> casework.models" in refused.stdout
