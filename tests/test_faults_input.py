"""Hostile or odd input: special files, bytes YAML refuses, hidden text, and every failure of a
``--json`` command as JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from faults import REFERENCE

import contractkit.build as build_module
import contractkit.build.scheduler as scheduler_module
import contractkit.yamlread as yamlread_module
from contractkit.errors import SpecError
from contractkit.yamlread import MAX_FILE_BYTES, parse, read_bytes

RunCli = Callable[..., Result]
WriteSpec = Callable[..., Path]


def _validate_quickly(path: Path) -> subprocess.CompletedProcess[str]:
    """``contractkit validate PATH`` in its own process: a read that blocks fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "contractkit", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_a_device_is_refused_before_a_byte_is_read() -> None:
    done = _validate_quickly(Path("/dev/zero"))
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        "/dev/zero: is a device, not a regular file; nothing was read"
    )


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "engagement.yaml"
    os.mkfifo(fifo)
    done = _validate_quickly(fifo)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0] == (
        f"{fifo}: is a named pipe (FIFO), not a regular file; nothing was read"
    )


def test_the_size_limit_holds_while_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (MAX_FILE_BYTES // 5))
    real_fstat = os.fstat

    def growing(fd: int) -> os.stat_result:
        """The size when the file was opened: it grew afterwards."""
        info = list(real_fstat(fd))
        info[6] = 10
        return os.stat_result(info)

    monkeypatch.setattr(yamlread_module.os, "fstat", growing)
    with pytest.raises(SpecError) as caught:
        read_bytes(big)
    assert str(caught.value) == (
        f"{big}: file is more than {MAX_FILE_BYTES} bytes; the limit is {MAX_FILE_BYTES}"
    )


@pytest.mark.parametrize(("byte", "name"), [("\x00", "U+0000 (NUL)"), ("\x7f", "U+007F (DEL)")])
def test_a_nul_or_del_in_yaml_is_located(
    write_spec: WriteSpec, run_cli: RunCli, byte: str, name: str
) -> None:
    spec = write_spec([("short_name: Acme", f"short_name: Ac{byte}me")])
    result = run_cli("validate", spec)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{spec}:20:17: character {name} is not allowed in YAML; remove it (in a double-quoted "
        f"string it may be written as \\u{ord(byte):04x})"
    )


def test_a_del_in_a_json_string_is_read_as_written(
    tmp_path: Path, reference_text: str, run_cli: RunCli
) -> None:
    data = parse(reference_text, "reference.yaml").data
    data["customer"]["legal_name"] = "Acme\x7f Health AI, Inc."
    spec = tmp_path / "engagement.json"
    text = json.dumps(data, ensure_ascii=False, default=str)
    spec.write_text(text, encoding="utf-8")
    assert parse(text, str(spec)).data["customer"]["legal_name"] == "Acme\x7f Health AI, Inc."
    # The reader accepts it; the field then says what it thinks of a control character.
    result = run_cli("validate", spec)
    column = text.index('"Acme\x7f') + 1  # the value's opening quote
    assert result.stderr.splitlines() == [
        f"{spec}:1:{column}: customer.legal_name: contains the control character U+007F; remove it",
        f"{spec}: invalid (1 error)",
    ]


@pytest.mark.parametrize(
    ("char", "named"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ],
)
def test_a_bidirectional_control_in_any_text_field_is_refused(
    write_spec: WriteSpec, run_cli: RunCli, char: str, named: str
) -> None:
    spec = write_spec([("short_name: Acme", f"short_name: Ac{char}me")])
    result = run_cli("validate", spec)
    assert result.exit_code == 1
    assert (
        f"{spec}:20:15: customer.short_name: contains {named}, an invisible control that "
        "makes text display in a different order than it is written; remove it"
        in (result.stderr.splitlines())
    )


def test_a_zero_width_character_is_a_warning_naming_the_field(
    write_spec: WriteSpec, run_cli: RunCli
) -> None:
    spec = write_spec([("short_name: Acme", "short_name: Ac\u200bme")])
    result = run_cli("validate", spec)
    assert result.exit_code == 0, result.stderr
    assert (
        f"{spec}:20:15: customer.short_name: warning: contains U+200B ZERO WIDTH SPACE, an "
        "invisible character; remove it unless the script needs it"
    ) in result.stderr.splitlines()


def test_duplicate_ids_with_json_print_a_json_error(tmp_path: Path, run_cli: RunCli) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(REFERENCE.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("build", REFERENCE, copy, "-o", tmp_path / "out", "--json")
    assert result.exit_code == 1
    message = (
        f"'acme-nimbus-2027' is also the id of {REFERENCE}; each spec in one build needs its "
        "own id (nothing was written)"
    )
    assert json.loads(result.stdout) == {
        "status": "error",
        "exit_code": 1,
        "errors": [
            {
                "file": str(copy),
                "line": 6,
                "column": 7,
                "field": "engagement.id",
                "severity": "error",
                "message": message,
                "text": f"{copy}:6:7: engagement.id: {message}",
            }
        ],
    }


def test_a_usage_error_with_json_prints_a_json_error(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("build", REFERENCE, "-o", tmp_path / "out", "--only", "nda,contract", "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert error["status"] == "error" and error["exit_code"] == 2
    assert [e["message"] for e in error["errors"]] == [
        "Invalid value for '--only': 'contract' is not a document key (msa, nda, baa, dpa, ip_assignment, "
        "exit_schedule)"
    ]


def test_a_missing_spec_with_json_prints_a_json_error(tmp_path: Path, run_cli: RunCli) -> None:
    result = run_cli("coverage", tmp_path / "missing.yaml", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"][0]["text"] == (
        f"{tmp_path / 'missing.yaml'}: no such file"
    )


def test_init_onto_a_dangling_link_says_so(tmp_path: Path, run_cli: RunCli) -> None:
    link = tmp_path / "engagement.yaml"
    link.symlink_to(tmp_path / "gone" / "spec.yaml")
    result = run_cli("init", link)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{link}: is a symbolic link to {tmp_path / 'gone' / 'spec.yaml'}, which does not "
        "exist; contractkit does not write through links: remove the link or choose another "
        "path\n"
    )
    assert not (tmp_path / "gone").exists()


def test_a_crashed_worker_gives_one_line_per_spec(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "specs"
    folder.mkdir()
    text = REFERENCE.read_text(encoding="utf-8")
    for n in range(4):
        (folder / f"spec-{n}.yaml").write_text(
            text.replace("id: acme-nimbus-2027", f"id: acme-batch-{n}"), encoding="utf-8"
        )

    def crash_on_first(output: build_module.Output, templates: object) -> bytes:
        if output.data is not None:
            return output.data
        assert output.tree is not None
        if output.tree.metadata["engagement"] == "acme-batch-0":
            os._exit(9)
        return b"rendered"

    monkeypatch.setattr(scheduler_module, "render_output", crash_on_first)
    options = build_module.BuildOptions(out=tmp_path / "out", jobs=2, redline=False)
    results = build_module.build([folder], options)
    assert results[0].status == "failed"
    for result in results:
        assert len(result.problems) <= 1, [str(p) for p in result.problems]
    (problem,) = results[0].problems
    assert str(problem).startswith(f"{folder / 'spec-0.yaml'}: could not render ")
    assert str(problem).endswith(
        ": a rendering process stopped unexpectedly (killed, or out of memory) while this spec "
        "was being rendered"
    )
    assert results[-1].status == "built"


def _with_workloads(path: Path, reference_text: str, count: int) -> Path:
    data = json.loads(json.dumps(parse(reference_text, "reference.yaml").data))
    base = data["workloads"]
    data["workloads"] = [
        {**base[n % 2], "id": f"{base[n % 2]['id']}-{n}", "name": f"{base[n % 2]['name']} {n}"}
        for n in range(count)
    ]
    data["staffing"]["baseline_fte"] = 4 * ((count + 1) // 2) + 12
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_more_workloads_than_the_bound_are_refused_by_validate(
    tmp_path: Path, reference_text: str, run_cli: RunCli
) -> None:
    at_bound = _with_workloads(tmp_path / "bound.json", reference_text, 500)
    assert run_cli("validate", at_bound).exit_code == 0
    over = _with_workloads(tmp_path / "over.json", reference_text, 501)
    result = run_cli("validate", over)
    assert result.exit_code == 1
    column = over.read_text(encoding="utf-8").index('"workloads": [') + len('"workloads": ') + 1
    lines = result.stderr.splitlines()
    assert [line for line in lines if ": warning: " not in line] == [
        f"{over}:1:{column}: workloads: lists 501 workloads; a spec may list at most 500 (each "
        "one adds to the time and memory every build takes): split the program into several "
        "engagements, one spec each",
        f"{over}: invalid (1 error)",
    ]
