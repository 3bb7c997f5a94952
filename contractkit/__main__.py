"""``python -m contractkit``."""

from __future__ import annotations

from contractkit.cli import main

main(prog_name="contractkit")
