"""A commit interrupted at any point is finished by the next one: with an intent record the
remaining files are moved into place (or, when a staged file is not what the record says, the
old ones put back); without a usable record nothing had been moved and the staging folder goes.

The staging folders here are written as a killed build leaves them, in the documented layout
(``.contractkit-staging-*/new/``, ``old/`` and ``intent.json``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import types
from pathlib import Path

import pytest

import contractkit.build.commit as commit_module
from contractkit.build.commit import commit, finish_leftovers, locked
from contractkit.build.safefs import COPY_PREFIX, LinkRefused
from contractkit.errors import RefusedError

STAGING = ".contractkit-staging-0a1b2c3d4e5f"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``, leftovers included, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _interrupted(
    bundle: Path,
    *,
    new: dict[str, bytes],
    old: dict[str, bytes],
    intent: list[tuple[str, bytes | None, bytes | None]] | bytes | None,
) -> None:
    """A staging folder as a build killed mid-commit leaves it: staged new files, kept old
    ones, and the intent record (each file's content before and after) when it was written."""
    stage = bundle / STAGING
    _write(stage / "new", new)
    _write(stage / "old", old)
    stage.mkdir(parents=True, exist_ok=True)
    if isinstance(intent, bytes):
        (stage / "intent.json").write_bytes(intent)
    elif intent is not None:
        changes = [
            {"path": p, "old": _sha(o) if o is not None else None, "new": _sha(n) if n else None}
            for p, o, n in intent
        ]
        (stage / "intent.json").write_text(json.dumps({"changes": changes}), encoding="utf-8")


def _finish(bundle: Path) -> None:
    with locked(bundle, create=False) as root:
        assert root is not None
        finish_leftovers(root)


def test_a_commit_killed_after_some_moves_is_rolled_forward(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    _write(
        bundle,
        {
            "a.txt": b"A2",  # already moved into place
            "b.txt": b"B1",
            "c.txt": b"C1",  # the new build no longer writes it
            "d.txt": b"edited by hand since",
            f"{COPY_PREFIX}b.txt": b"B",  # a copy across devices, cut short
        },
    )
    _interrupted(
        bundle,
        new={"b.txt": b"B2", "d.txt": b"D2", "sub/e.txt": b"E2"},
        old={"b.txt": b"B1", "c.txt": b"C1", "d.txt": b"D1"},
        intent=[
            ("a.txt", b"A1", b"A2"),
            ("b.txt", b"B1", b"B2"),
            ("c.txt", b"C1", None),
            ("d.txt", b"D1", b"D2"),
            ("sub/e.txt", None, b"E2"),
        ],
    )
    _finish(bundle)
    assert _files(bundle) == {
        "a.txt": b"A2",
        "b.txt": b"B2",
        "d.txt": b"edited by hand since",
        "sub/e.txt": b"E2",
    }


def test_a_commit_whose_staged_file_is_damaged_is_rolled_back(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    _write(bundle, {"a.txt": b"A2", "e.txt": b"E2", "b.txt": b"B1", "d.txt": b"edited"})
    _interrupted(
        bundle,
        new={"b.txt": b"B2 cut short", "d.txt": b"D2"},
        old={"a.txt": b"A1", "b.txt": b"B1", "c.txt": b"C1", "d.txt": b"D1"},
        intent=[
            ("a.txt", b"A1", b"A2"),
            ("e.txt", None, b"E2"),
            ("c.txt", b"C1", None),
            ("b.txt", b"B1", b"B2"),
            ("d.txt", b"D1", b"D2"),
        ],
    )
    _finish(bundle)
    assert _files(bundle) == {"a.txt": b"A1", "b.txt": b"B1", "c.txt": b"C1", "d.txt": b"edited"}


def test_a_commit_killed_before_its_intent_record_leaves_the_bundle_as_it_was(
    tmp_path: Path,
) -> None:
    bundle = tmp_path / "bundle"
    _write(bundle, {"a.txt": b"A1", f"{STAGING}-note": b"a file, not a staging folder"})
    _interrupted(bundle, new={"a.txt": b"A2"}, old={"a.txt": b"A1"}, intent=None)
    _finish(bundle)
    assert _files(bundle) == {"a.txt": b"A1", f"{STAGING}-note": b"a file, not a staging folder"}


@pytest.mark.parametrize(
    "record",
    [
        b'{"changes": [{"path": "a.txt"',
        b'{"files": []}',
        b'{"changes": [{"path": "a.txt", "old": null}]}',
        b'{"changes": [{"path": "../outside.txt", "old": null, "new": "x"}]}',
        b'{"changes": [{"path": "/tmp/outside.txt", "old": null, "new": "x"}]}',
        b'{"changes": [{"path": "sub//a.txt", "old": null, "new": "x"}]}',
        b'{"changes": [{"path": "sub\\\\a.txt", "old": null, "new": "x"}]}',
    ],
    ids=["cut-short", "no-changes", "no-new", "parent", "absolute", "empty-part", "backslash"],
)
def test_an_unusable_intent_record_moves_nothing(tmp_path: Path, record: bytes) -> None:
    bundle = tmp_path / "bundle"
    _write(bundle, {"a.txt": b"A1"})
    _interrupted(bundle, new={"a.txt": b"A2", "../outside.txt": b"x"}, old={}, intent=record)
    _finish(bundle)
    assert _files(bundle) == {"a.txt": b"A1"}
    assert not (tmp_path / "outside.txt").exists()


def test_a_partial_backup_is_removed_and_a_complete_one_kept(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    backups = "internal/backups"
    _write(
        bundle,
        {
            f"{backups}/.contractkit-partial-0a1b2c/msa.docx": b"half",
            f"{backups}/20270102T030405Z/msa.docx": b"whole",
        },
    )
    _finish(bundle)
    assert _files(bundle) == {f"{backups}/20270102T030405Z/msa.docx": b"whole"}


def test_hand_edited_files_are_backed_up_once_per_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Frozen(dt.datetime):
        @classmethod
        def now(cls, tz: dt.tzinfo | None = None) -> Frozen:
            return cls(2027, 1, 2, 3, 4, 5, tzinfo=tz)

    monkeypatch.setattr(commit_module, "dt", types.SimpleNamespace(datetime=Frozen, UTC=dt.UTC))
    bundle = tmp_path / "bundle"
    _write(bundle, {"nda.md": b"edited once", "gone.md": b"no longer built"})
    first = commit(
        bundle,
        [("nda.md", b"N2"), ("internal/notes/new.md", b"R"), ("manifest", b"M2")],
        ["gone.md", "never-built.md"],
        ["nda.md"],
    )
    (bundle / "nda.md").write_bytes(b"edited twice")
    second = commit(bundle, [("nda.md", b"N3"), ("manifest", b"M3")], [], ["nda.md"])
    assert first == [bundle / "internal/backups/20270102T030405Z/nda.md"]
    assert second == [bundle / "internal/backups/20270102T030405Z-2/nda.md"]
    assert _files(bundle) == {
        "internal/backups/20270102T030405Z/nda.md": b"edited once",
        "internal/backups/20270102T030405Z-2/nda.md": b"edited twice",
        "internal/notes/new.md": b"R",
        "manifest": b"M3",
        "nda.md": b"N3",
    }


def test_a_folder_in_the_way_undoes_the_commit_and_names_the_folder(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    _write(bundle, {"b.txt": b"B1", "a.txt/notes.md": b"counsel's notes", "manifest": b"M1"})
    with pytest.raises(RefusedError) as raised:
        commit(bundle, [("b.txt", b"B2"), ("a.txt", b"A2"), ("manifest", b"M2")], [], ["b.txt"])
    assert [str(p) for p in raised.value.problems] == [
        f"{bundle / 'a.txt'}: a folder is in the way of a file contractkit writes; move it "
        "away (nothing was written for this spec)"
    ]
    assert _files(bundle) == {
        "a.txt/notes.md": b"counsel's notes",
        "b.txt": b"B1",
        "manifest": b"M1",
    }


def test_a_missing_bundle_is_not_created_unless_asked(tmp_path: Path) -> None:
    with locked(tmp_path / "out" / "missing", create=False) as root:
        assert root is None
    assert not (tmp_path / "out").exists()


def test_a_bundle_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "bundle").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(LinkRefused) as raised, locked(tmp_path / "bundle", create=False):
        pass
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path / 'bundle'}: is a symbolic link; contractkit never writes through a link it "
        "did not create (nothing was written for this spec). Replace the link with a real folder "
        "or file, or build into another --out"
    ]
