"""Mark up a DOCX in LibreOffice with change recording on, the way a vendor using it would.

Run with a Python that has LibreOffice's ``uno`` module (the system one):
``python3 lo_markup.py SOFFICE PROFILE_DIR IN.docx OUT.docx EDITS_JSON``, where EDITS_JSON is
a list of edits applied in order, each found by a phrase that occurs once in the document:

- ``{"op": "replace", "find": PHRASE, "old": SUB, "new": TEXT}``: SUB inside PHRASE becomes TEXT;
- ``{"op": "comment", "find": PHRASE, "text": TEXT}``: a comment anchored on PHRASE, dated
  now as LibreOffice dates a comment typed in, or undated with ``"undated": true``;
- ``{"op": "delete", "find": PHRASE}``: PHRASE deleted.

Tracked changes and comments carry the author ``Vendor Counsel`` set in the user profile.
Prints ``saved`` once OUT.docx is written as Word 2007-365 DOCX.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.util import DateTime  # type: ignore[import-not-found]

AUTHOR = ("Vendor", "Counsel")
START_TIMEOUT = 60.0
FILTER = "MS Word 2007 XML"


def prop(name: str, value: Any) -> Any:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def url(path: str) -> str:
    return str(uno.systemPathToFileUrl(str(Path(path).resolve())))


def connect(pipe: str, office: subprocess.Popen[bytes]) -> Any:
    """LibreOffice's component context, once it accepts connections on ``pipe``."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except Exception:
            if office.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("LibreOffice did not start") from None
            time.sleep(0.2)


def set_user_name(context: Any) -> None:
    """The profile's user name, which LibreOffice records as the author of every change."""
    provider = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.configuration.ConfigurationProvider", context
    )
    access = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess",
        (prop("nodepath", "/org.openoffice.UserProfile/Data"),),
    )
    access.setPropertyValue("givenname", AUTHOR[0])
    access.setPropertyValue("sn", AUTHOR[1])
    access.commitChanges()


def paragraphs(text: Any) -> Iterator[Any]:
    """Every paragraph of ``text``, table cells included, in document order."""
    enumeration = text.createEnumeration()
    while enumeration.hasMoreElements():
        element = enumeration.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():
                yield from paragraphs(element.getCellByName(name))
        elif element.supportsService("com.sun.star.text.Paragraph"):
            yield element


def select(document: Any, phrase: str, within: str | None = None) -> Any:
    """A cursor over ``within`` (or all of ``phrase``) where ``phrase`` occurs once.

    LibreOffice's own search finds nothing in a document without a view.
    """
    found = [(p, p.getString()) for p in paragraphs(document.getText()) if phrase in p.getString()]
    if len(found) != 1 or found[0][1].count(phrase) != 1:
        raise SystemExit(f"{phrase!r} does not occur exactly once")
    paragraph, text = found[0]
    part = within if within is not None else phrase
    cursor = paragraph.getText().createTextCursorByRange(paragraph.getStart())
    cursor.goRight(text.index(phrase) + phrase.index(part), False)
    cursor.goRight(len(part), True)
    if cursor.getString() != part:
        raise SystemExit(f"selected {cursor.getString()!r}, not {part!r}")
    return cursor


def apply(document: Any, edit: dict[str, str]) -> None:
    if edit["op"] == "replace":
        select(document, edit["find"], edit["old"]).setString(edit["new"])
    elif edit["op"] == "comment":
        cursor = select(document, edit["find"])
        note = document.createInstance("com.sun.star.text.textfield.Annotation")
        note.Author = " ".join(AUTHOR)
        note.Content = edit["text"]
        if not edit.get("undated"):
            now = datetime.now(UTC)
            note.DateTimeValue = DateTime(
                Year=now.year, Month=now.month, Day=now.day, Hours=now.hour, Minutes=now.minute
            )
        cursor.getText().insertTextContent(cursor, note, True)
    elif edit["op"] == "delete":
        select(document, edit["find"]).setString("")
    else:
        raise SystemExit(f"unknown edit {edit['op']!r}")


def main() -> None:
    soffice, profile, source, target, edits = sys.argv[1:6]
    pipe = f"contractkit-markup-{os.getpid()}-{time.monotonic_ns()}"
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={url(profile)}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    desktop = None
    try:
        context = connect(pipe, office)
        set_user_name(context)
        desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        # A model without a view: a view would open comment windows, which need UI files
        # LibreOffice without a GUI does not ship.
        document = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.text.TextDocument", context
        )
        document.load((prop("URL", url(source)), prop("FilterName", FILTER)))
        try:
            document.RecordChanges = True
            for edit in json.loads(edits):
                apply(document, edit)
            document.storeToURL(url(target), (prop("FilterName", FILTER),))
        finally:
            document.close(True)
        print("saved")
    finally:
        if desktop is not None:
            with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
                desktop.terminate()
        else:
            office.terminate()
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main()
