"""The portfolio as one self-contained HTML page: inline CSS and SVG, no scripts, nothing fetched.

It opens offline, prints on Letter paper, and shows every status as a word and a shape as well
as a colour.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2
from markupsafe import Markup

from contractkit.checklist import LAYERS
from contractkit.portfolio import svg
from contractkit.portfolio.model import WINDOW_DAYS, Deadline, Portfolio

TEMPLATE = Path(__file__).with_name("report.html.j2")
# Column headings that may break: a soft hyphen keeps the heatmap within the page.
HEADERS = {"transferability": Markup("Transfer&shy;ability")}


def numbered(portfolio: Portfolio) -> list[tuple[int, Deadline]]:
    """Stale evidence first, then the calendar, numbered as the timeline labels them."""
    return list(enumerate([*portfolio.stale, *portfolio.calendar], start=1))


def to_html(portfolio: Portfolio) -> str:
    env = jinja2.Environment(
        autoescape=True,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    template = env.from_string(TEMPLATE.read_text(encoding="utf-8"))
    rows = numbered(portfolio)
    as_of = dt.date.fromisoformat(portfolio.as_of)
    total = sum(len(e.critical_workloads) for e in portfolio.engagements)
    return template.render(
        p=portfolio,
        layers=LAYERS,
        headers={layer: HEADERS.get(layer, layer.capitalize()) for layer in LAYERS},
        window=WINDOW_DAYS,
        numbered=rows,
        icon=svg.status_icon,
        kind_icon=svg.kind_icon,
        word=lambda status: svg.STATUS_STYLE[status][0],
        legend=[
            {"icon": svg.status_icon(s), "word": svg.STATUS_STYLE[s][0]}
            for s in ("ready", "drafted", "stale", "gap", "needs_input")
        ],
        kinds=[{"icon": svg.kind_icon(k), "word": w} for k, (w, _, _) in svg.KIND_STYLE.items()],
        timeline=svg.timeline([e.id for e in portfolio.engagements], rows, as_of),
        critical_total=total,
        vendor_bars=svg.bars(
            portfolio.by_vendor, total, "Critical workloads by vendor", "By vendor"
        ),
        country_bars=svg.bars(
            portfolio.by_country,
            total,
            "Critical workloads by vendor country",
            "By country where the vendor is established",
        ),
    )
