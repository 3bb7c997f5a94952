"""``clauses list``: a header row, where each clause comes from, and one engagement's clauses."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import RunCli
from helpers import LIDAR, write_tree

OVERLAY = {
    "anywhere/acceptance.md": """
        ---
        id: msa.acceptance
        document: msa
        title: Acceptance by the Firm
        version: 7.0.0
        satisfies: [msa.acceptance]
        ---
        The firm's own acceptance text.
        """
}


def test_the_listing_has_a_header_and_names_each_clause_s_source(
    tmp_path: Path, run_cli: RunCli
) -> None:
    firm = write_tree(tmp_path / "firm", OVERLAY)
    result = run_cli("clauses", "list", "--document", "msa", "--library", firm)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    source = firm / "anywhere" / "acceptance.md"
    id_width = max(len(line.split()[0]) for line in lines)
    pad = " " * (len(str(source)) - len("built-in"))
    assert lines[0].split() == ["clause", "position", "version", "source", "title"]
    assert lines[1] == (
        f"{'msa.acceptance':<{id_width}}  any                  7.0.0    {source}  "
        "Acceptance by the Firm"
    )
    assert lines[2] == (
        f"{'msa.audit':<{id_width}}  balanced             1.2.0    built-in{pad}  "
        "Audit and Information Rights"
    )
    rows = json.loads(run_cli("clauses", "list", "--json", "--library", firm).stdout)
    sources = {(r["id"], r["position"]): r["source"] for r in rows}
    assert sources[("msa.acceptance", "any")] == str(source)
    assert sources[("msa.audit", "balanced")] == "built-in"


def test_spec_lists_only_the_clauses_in_effect_for_that_engagement(run_cli: RunCli) -> None:
    everything = json.loads(run_cli("clauses", "list", "--json").stdout)
    result = run_cli("clauses", "list", "--json", "--spec", LIDAR)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    keys = {(r["id"], r["position"]) for r in rows}
    # A customer-favourable project without PHI: one text per clause, that position's or 'any'.
    assert len(keys) == len({r["id"] for r in rows}) < len(everything)
    assert ("msa.audit", "customer_favourable") in keys
    assert ("msa.audit", "balanced") not in keys
    assert ("msa.model_project", "any") in keys
    assert not {r["id"] for r in rows if r["id"].startswith(("msa.model_hybrid", "baa."))}
    text = run_cli("clauses", "list", "--spec", LIDAR, "--document", "msa")
    assert text.stdout.splitlines()[0].split() == [
        "clause",
        "position",
        "version",
        "source",
        "title",
    ]
    assert len(text.stdout.splitlines()) == 1 + len([r for r in rows if r["document"] == "msa"])
