"""The only files a PDF may take in: the house template's own folder and contractkit's data.

WeasyPrint fetches whatever the HTML and CSS name (pictures, fonts, stylesheets, attachments).
A house template is a firm's file, and the PDF goes to the vendor, so ``<img src="file:///...">``
or ``<link rel="attachment">`` must not carry a local file into it, and no address may be
fetched from the network. Every refused address is reported after the layout, as one error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from contractkit.resources import PACKAGE, data_dir


def allowed_roots(base: Path) -> list[Path]:
    """The folders a PDF may read from: the template's, and contractkit's own files."""
    return [base.resolve(), PACKAGE, data_dir("templates").resolve()]


def _allowed(url: str, roots: list[Path]) -> bool:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return True
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    path = Path(url2pathname(unquote(parts.path))).resolve()
    return path.is_file() and any(path.is_relative_to(root) for root in roots)


def house_fetcher(base: Path) -> tuple[Any, list[str]]:
    """A URL fetcher for WeasyPrint, and the list it fills with every address it refused.

    ``data:`` URLs (content written in the document itself) and files below ``base`` or
    contractkit's package are served; links are resolved first, so a link in the template
    folder pointing elsewhere is refused too.
    """
    from weasyprint import urls

    roots = allowed_roots(base)
    refused: list[str] = []

    def refuse(url: str) -> ValueError:
        if url not in refused:
            refused.append(url)
        return ValueError(f"contractkit does not let a house template read {url}")

    if hasattr(urls, "URLFetcher"):

        class HouseFetcher(urls.URLFetcher):  # type: ignore[misc]
            def fetch(self, url: str, headers: Any = None) -> Any:
                if not _allowed(url, roots):
                    raise refuse(url)
                return super().fetch(url, headers)

        return HouseFetcher(allowed_protocols=("file", "data")), refused

    def fetch(url: str, *args: Any, **kwargs: Any) -> Any:  # WeasyPrint without URLFetcher
        if not _allowed(url, roots):
            raise refuse(url)
        return urls.default_url_fetcher(url, *args, **kwargs)

    return fetch, refused


def refusal_message(refused: list[str]) -> str:
    """What a PDF template that named outside files or network addresses is told."""
    shown = ", ".join(refused)
    return (
        f"refers to {shown}; a house template may use only files in its own folder (and "
        "contractkit's), never other local files or network addresses"
    )
