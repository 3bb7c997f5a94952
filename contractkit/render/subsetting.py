"""Which font subsetter WeasyPrint uses, and one warning a run when it is the slow one.

WeasyPrint embeds a subset of each font it draws with. It subsets with HarfBuzz's
``libharfbuzz-subset`` (4.1 or newer) when it can load that library, and otherwise falls back
to fontTools, in Python, which makes drawing a PDF about twice as slow. WeasyPrint says so on
every font of every document; contractkit says it once per run instead, with the fix.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import logging
import warnings
from collections.abc import Iterator
from typing import Literal

Subsetter = Literal["harfbuzz", "fonttools"]

INSTALL = "apt-get install libharfbuzz-subset0"
SLOW_SUBSETTING = (
    "contractkit: warning: HarfBuzz's font subsetter (libharfbuzz-subset 4.1 or newer) was "
    f"not found, so PDFs take about twice as long to draw; install it ({INSTALL} on "
    "Debian/Ubuntu)"
)
# The names WeasyPrint tries, in its order (weasyprint/text/ffi.py).
SUBSET_LIBRARIES = (
    "libharfbuzz-subset-0", "harfbuzz-subset", "harfbuzz-subset-0.0", "libharfbuzz-subset.so.0",
    "libharfbuzz-subset.0.dylib", "libharfbuzz-subset-0.dll",
)  # fmt: skip
HARFBUZZ_LIBRARIES = (
    "libharfbuzz-0", "harfbuzz", "harfbuzz-0.0", "libharfbuzz.so.0", "libharfbuzz.0.dylib",
    "libharfbuzz-0.dll",
)  # fmt: skip

LOGGER = logging.getLogger("contractkit")
_noted = False


def weasyprint_subsetter() -> Subsetter:
    """The subsetter WeasyPrint uses in this process, decided as WeasyPrint decides it.

    Imports WeasyPrint; for a process that has not, ``subsetter_without_weasyprint`` answers
    the same question in a few milliseconds.
    """
    with quiet_weasyprint():
        from weasyprint.pdf import fonts
    if fonts.harfbuzz_subset is not None and fonts.harfbuzz.hb_version_atleast(4, 1, 0):
        return "harfbuzz"
    return "fonttools"


def _load(names: tuple[str, ...]) -> ctypes.CDLL | None:
    """The first library of ``names`` that loads, found as cffi's ``dlopen`` finds it.

    Names with a dot are tried as they are first: that is where the library usually is, and
    looking a bare name up runs ``ldconfig``.
    """
    for name in sorted(names, key=lambda n: "." not in n):
        with contextlib.suppress(OSError):
            if "." in name:
                return ctypes.CDLL(name)
            path = ctypes.util.find_library(name)
            if path is not None:
                return ctypes.CDLL(path)
    return None


def subsetter_without_weasyprint() -> Subsetter:
    """What ``weasyprint_subsetter`` would answer, without importing WeasyPrint (about a
    second): whether the subset library loads and HarfBuzz is 4.1 or newer."""
    if _load(SUBSET_LIBRARIES) is None:
        return "fonttools"
    harfbuzz = _load(HARFBUZZ_LIBRARIES)
    if harfbuzz is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        return "fonttools"
    return "harfbuzz"


def note_subsetter(subsetter: Subsetter | None = None) -> None:
    """Warn once per process, on stderr, when PDFs will be subset by fontTools.

    Worker processes forked after the first call stay quiet, so a build warns once.
    """
    global _noted
    if _noted:
        return
    _noted = True
    if (subsetter or subsetter_without_weasyprint()) == "fonttools":
        LOGGER.warning(SLOW_SUBSETTING)


class _DropFallbackNotice(logging.Filter):
    """WeasyPrint's own notice, one per font and document; ``note_subsetter`` replaces it."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "instead of HarfBuzz-Subset" not in str(record.msg)


_DROP = _DropFallbackNotice()


@contextlib.contextmanager
def quiet_weasyprint() -> Iterator[None]:
    """Import WeasyPrint inside this block: its notices about the fallback are left out."""
    logging.getLogger("weasyprint").addFilter(_DROP)  # once: filters are a set by identity
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
        yield
