"""The dependency rules of docs/architecture.md hold, and the linter that holds them would
notice a break: a copy of the tree with one forbidden import fails `lint-imports`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(
    not LINT.exists(), reason="import-linter is not installed (make install-test)"
)


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--config", str(tree / "pyproject.toml"), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tree = tmp_path_factory.mktemp("house")
    shutil.copytree(ROOT / "vanphong", tree / "vanphong", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_tree_keeps_every_contract(tree_copy: Path) -> None:
    result = lint(tree_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        # The task engine imports no work app.
        (
            "vanphong/tasks/selectors.py",
            "from vanphong.documents.models import Document  # noqa",
            "vanphong.tasks is not allowed to import vanphong.documents",
        ),
        # The documents app imports none of the apps above it.
        (
            "vanphong/documents/access.py",
            "import vanphong.search.models  # noqa",
            "vanphong.documents is not allowed to import vanphong.search",
        ),
        # A service never reaches up into the pages.
        (
            "vanphong/tasks/services/common.py",
            "import vanphong.tasks.views.common  # noqa",
            "vanphong.tasks.services is not allowed to import vanphong.tasks.views",
        ),
    ],
)
def test_a_forbidden_import_fails_the_lint(tree_copy: Path, module: str, line: str, expected: str) -> None:
    path = tree_copy / module
    original = path.read_text()
    try:
        path.write_text(original + f"\n{line}\n")
        result = lint(tree_copy)
    finally:
        path.write_text(original)
    assert result.returncode != 0
    assert expected in result.stdout
