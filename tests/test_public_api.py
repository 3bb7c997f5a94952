"""The package's API for scripts: ``contractkit.load_spec`` and ``contractkit.checklist_for``
work from a bare ``import contractkit``, and nothing behind them is imported until first use."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import subprocess
import sys

import pytest

import contractkit

from helpers import EXAMPLES

REFERENCE = EXAMPLES / "reference.yaml"


def test_a_script_loads_a_spec_and_derives_its_checklist() -> None:
    loaded = contractkit.load_spec(REFERENCE)
    assert loaded.spec.engagement.id == "acme-nimbus-2027"
    checklist, again = contractkit.checklist_for(REFERENCE, as_of=dt.date(2027, 3, 1))
    assert again.spec == loaded.spec
    assert checklist.engagement == "acme-nimbus-2027"
    assert checklist.spec_sha256 == hashlib.sha256(REFERENCE.read_bytes()).hexdigest()
    assert checklist.as_of == "2027-03-01"
    first = checklist.items[0]
    assert (first.id, first.status, first.evidence) == (
        "contractual.msa",
        "ready",
        "produced for this engagement; 6 of 6 requirements covered",
    )


def _printed_by(script: str) -> list[str]:
    """The lines a fresh Python process prints running ``script``."""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout.splitlines()


def test_the_api_is_imported_only_when_first_used() -> None:
    script = (
        "import sys, contractkit\n"
        "heavy = ('contractkit.loader', 'contractkit.checklist', 'contractkit.build')\n"
        "print([m for m in heavy if m in sys.modules])\n"
        "contractkit.load_spec\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    assert _printed_by(script) == ["[]", "['contractkit.loader']"]


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError) as raised:
        _ = contractkit.load_specs
    assert str(raised.value) == "module 'contractkit' has no attribute 'load_specs'"
    with pytest.raises(ImportError, match=r"^cannot import name 'draft' from 'contractkit'"):
        from contractkit import draft  # noqa: F401


def test_the_version_is_the_installed_distributions() -> None:
    assert contractkit.__version__ == importlib.metadata.version("contractkit")
    assert contractkit.__all__ == ["__version__", "build_bundles", "checklist_for", "load_spec"]


def test_build_bundles_is_the_build_function_before_and_after_the_subpackage_loads() -> None:
    script = (
        "import contractkit\n"
        "first = contractkit.build_bundles\n"
        "import contractkit.build\n"
        "print(first is contractkit.build_bundles is contractkit.build.build, first.__name__)\n"
    )
    assert _printed_by(script) == ["True build"]
