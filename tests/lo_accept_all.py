"""Accept every tracked change of a DOCX in LibreOffice and save the result as DOCX.

Run with a Python that has LibreOffice's ``uno`` module (the system one):
``python3 lo_accept_all.py SOFFICE PROFILE_DIR IN.docx OUT.docx``. Prints ``accepted``, or
``remaining`` when tracked changes are left after accepting.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from typing import Any

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]


def prop(name: str, value: Any) -> Any:
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def main() -> None:
    soffice, profile, source, target = sys.argv[1:5]
    pipe = f"contractkit{time.monotonic_ns()}"
    office = subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={uno.systemPathToFileUrl(profile)}",
            "--headless",
            "--invisible",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;",
        ]
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        for _ in range(600):
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.1)
        else:
            sys.exit("LibreOffice did not start")
        manager = context.ServiceManager
        desktop = manager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        document = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),)
        )
        helper = manager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
        frame = document.getCurrentController().getFrame()
        helper.executeDispatch(frame, ".uno:AcceptAllTrackedChanges", "", 0, ())
        left = document.getRedlines().createEnumeration().hasMoreElements()
        document.storeToURL(
            uno.systemPathToFileUrl(target), (prop("FilterName", "MS Word 2007 XML"),)
        )
        document.close(True)
        with contextlib.suppress(Exception):  # the bridge closes as LibreOffice exits
            desktop.terminate()
        print("remaining" if left else "accepted")
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main()
