"""The wheel: built from this checkout, installed into a fresh venv, run from outside the repo.

Nothing is downloaded: the wheel is built without isolation (hatchling is a test dependency),
installed with ``--no-deps --no-index``, and the new venv sees this environment's dependencies
through a ``.pth`` file. pip's temporary files go to tmp_path as well.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import contractkit

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
DATA_DIRS = ("clauses", "templates", "examples")


def run(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def repo_files(folder: str) -> list[str]:
    """Files under a data folder of the checkout, as they should appear in the wheel."""
    base = ROOT / folder
    return sorted(
        f"contractkit/_data/{folder}/{p.relative_to(base).as_posix()}"
        for p in base.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(wheel, venv, environment) with the wheel installed into a new venv."""
    base = tmp_path_factory.mktemp("packaging")
    (base / "tmp").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PIP_"))}
    env |= {"TMPDIR": str(base / "tmp"), "PYTHONNOUSERSITE": "1", "PIP_NO_INPUT": "1"}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-cache-dir"]

    built = run(
        *pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", base / "wheels",
        ROOT, cwd=base, env=env,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = (base / "wheels").glob("contractkit-*.whl")

    venv = base / "venv"
    created = run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=base, env=env)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    added = run(
        *pip, "--python", python, "install", "--no-deps", "--no-index", wheel, cwd=base, env=env
    )
    assert added.returncode == 0, added.stdout + added.stderr

    paths = run(
        python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=base, env=env
    )
    site_packages = Path(paths.stdout.strip())
    ours = [*site.getsitepackages(), *(p for p in sys.path if p.endswith("-packages"))]
    (site_packages / "_contractkit_test_deps.pth").write_text(
        "".join(f"{p}\n" for p in dict.fromkeys(ours)), encoding="utf-8"
    )
    return wheel, venv, env


def test_wheel_ships_the_clause_library_templates_and_examples(
    installed: tuple[Path, Path, dict[str, str]],
) -> None:
    wheel, _, _ = installed
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()

    for folder in DATA_DIRS:
        shipped = sorted(n for n in names if n.startswith(f"contractkit/_data/{folder}/"))
        assert shipped == repo_files(folder), folder
    assert "contractkit/_data/examples/reference.yaml" in names
    assert any(n.startswith("contractkit/_data/clauses/") for n in names)
    assert any(n.startswith("contractkit/_data/templates/") for n in names)
    assert "contractkit/cli/__init__.py" in names
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n]


def test_installed_command_works_from_outside_the_repo(
    installed: tuple[Path, Path, dict[str, str]], tmp_path: Path
) -> None:
    _, venv, env = installed
    command, python = venv / "bin" / "contractkit", venv / "bin" / "python"
    work = tmp_path / "work"
    work.mkdir()
    assert ROOT not in work.parents

    version = run(command, "--version", cwd=work, env=env)
    assert (version.returncode, version.stdout) == (
        0,
        f"contractkit, version {contractkit.__version__}\n",
    )

    init = run(command, "init", "--example", "reference", cwd=work, env=env)
    assert (init.returncode, init.stderr.splitlines()) == (
        0,
        [
            "wrote reference.yaml",
            "next: contractkit validate reference.yaml, then contractkit build reference.yaml",
        ],
    )
    assert (work / "reference.yaml").read_bytes() == (ROOT / "examples/reference.yaml").read_bytes()

    expected = [
        "reference.yaml:50:15: workloads[0].critical: warning: critical workload "
        "'ct-segmentation' has no secondary_vendor: the program depends on one vendor",
        "reference.yaml: valid (1 warning)",
    ]
    for launcher in ([command], [python, "-m", "contractkit"]):
        checked = run(*launcher, "validate", "reference.yaml", cwd=work, env=env)
        assert (checked.returncode, checked.stderr.splitlines()) == (0, expected), launcher

    where = run(
        python,
        "-c",
        "import contractkit, contractkit.resources as r; "
        "print(contractkit.__file__); print(r.data_dir('examples')); print(r.data_dir('clauses'))",
        cwd=work,
        env=env,
    )
    module, examples, clauses = (Path(line) for line in where.stdout.splitlines())
    assert venv in module.parents, module
    assert ROOT not in module.parents
    assert examples == module.parent / "_data" / "examples"
    assert clauses == module.parent / "_data" / "clauses"
