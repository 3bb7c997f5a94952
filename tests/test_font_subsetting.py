"""Font subsetting: one warning a run, with the fix, when WeasyPrint falls back to fontTools."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from contractkit.render.subsetting import (
    INSTALL,
    SLOW_SUBSETTING,
    subsetter_without_weasyprint,
    weasyprint_subsetter,
)

from helpers import EXAMPLES

# Runs the command line with WeasyPrint's HarfBuzz subsetter taken away, as on a machine
# without libharfbuzz-subset: WeasyPrint then subsets with fontTools and says so per font.
WITHOUT_HARFBUZZ_SUBSET = """
import sys
import contractkit.render.subsetting as subsetting
from weasyprint.pdf import fonts
fonts.harfbuzz_subset = None
found = subsetting._load
subsetting._load = lambda names: None if names == subsetting.SUBSET_LIBRARIES else found(names)
from contractkit.cli import main
main(sys.argv[1:])
"""


def test_the_quick_check_agrees_with_weasyprint() -> None:
    assert subsetter_without_weasyprint() == weasyprint_subsetter()


def test_without_harfbuzz_subsetting_a_build_warns_once_with_the_install_command(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_HARFBUZZ_SUBSET, "build", str(EXAMPLES / "lidar-project.yaml"),
         "-o", str(tmp_path / "out"), "--only", "nda", "--format", "pdf", "--jobs", "2"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines.count(SLOW_SUBSETTING) == 1, lines
    assert INSTALL in SLOW_SUBSETTING
    assert not [line for line in lines if "HarfBuzz" in line and line != SLOW_SUBSETTING]
    assert (tmp_path / "out" / "orbital-lidar-2027" / "nda.pdf").read_bytes().startswith(b"%PDF")


def test_with_harfbuzz_subsetting_nothing_is_said(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "contractkit", "build", str(EXAMPLES / "lidar-project.yaml"),
         "-o", str(tmp_path / "out"), "--only", "nda", "--format", "pdf", "--jobs", "1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert weasyprint_subsetter() == "harfbuzz"  # CI installs libharfbuzz-subset0
    assert "HarfBuzz" not in done.stderr
