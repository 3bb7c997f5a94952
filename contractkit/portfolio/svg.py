"""The report's charts as inline SVG, written by hand: status shapes, the deadline timeline and
the concentration bars.

Each chart is a few rectangles, lines and markers at positions computed from dates or shares;
a plotting library would bring a large dependency for that, and would need JavaScript to label
points. Every status and every kind of date has a shape as well as a colour, and every mark is
labelled in text, so the charts read in black and white.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from contractkit.portfolio.model import WINDOW_DAYS, Deadline, Share

# Status: (word, colour, shape).
STATUS_STYLE = {
    "ready": ("Ready", "#1e7b34", "circle"),
    "drafted": ("Drafted", "#2f5597", "half"),
    "stale": ("Stale", "#b35c00", "diamond"),
    "gap": ("Gap", "#c00000", "triangle"),
    "needs_input": ("Needs input", "#595959", "square"),
    "not_applicable": ("Not applicable", "#7f7f7f", "dash"),
}
# Kind of dated event: (word, colour, shape).
KIND_STYLE = {
    "contract": ("Contract date", "#1f3864", "filled-diamond"),
    "evidence": ("Evidence due", "#1e7b34", "ring"),
    "stale": ("Stale evidence", "#b35c00", "triangle"),
}

WIDTH = 720
LABEL_W = 150
STALE_W = 64
LANE_H = 44
HEAD_H = 30
FONT = 'font-family="Liberation Sans, Arial, Helvetica, sans-serif"'


def _mark(shape: str, colour: str, x: float, y: float, r: float = 5.5) -> str:
    """One marker centred on (x, y)."""
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{colour}"/>'
    if shape == "ring":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r - 1:.1f}" fill="#fff" stroke="{colour}" '
            'stroke-width="2"/>'
        )
    if shape == "half":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r - 1:.1f}" fill="#fff" stroke="{colour}" '
            f'stroke-width="1.6"/><path d="M{x:.1f} {y - r + 1:.1f} A{r - 1:.1f} {r - 1:.1f} 0 0 0 '
            f'{x:.1f} {y + r - 1:.1f} Z" fill="{colour}"/>'
        )
    if shape in ("diamond", "filled-diamond"):
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        if shape == "filled-diamond":
            return f'<polygon points="{points}" fill="{colour}"/>'
        return f'<polygon points="{points}" fill="#fff" stroke="{colour}" stroke-width="2"/>'
    if shape == "triangle":
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y + r * 0.8:.1f} {x - r:.1f},{y + r * 0.8:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if shape == "square":
        side = 2 * r - 2
        return (
            f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" '
            f'height="{side:.1f}" fill="#fff" stroke="{colour}" stroke-width="2"/>'
        )
    return f'<rect x="{x - r:.1f}" y="{y - 1:.1f}" width="{2 * r:.1f}" height="2" fill="{colour}"/>'


def status_icon(status: str) -> str:
    """A 12-pixel shape for a status, named for screen readers."""
    word, colour, shape = STATUS_STYLE[status]
    return (
        f'<svg class="icon" width="12" height="12" viewBox="0 0 12 12" role="img" '
        f'aria-label="{escape(word)}">{_mark(shape, colour, 6, 6)}</svg>'
    )


def kind_icon(kind: str) -> str:
    word, colour, shape = KIND_STYLE[kind]
    return (
        f'<svg class="icon" width="12" height="12" viewBox="0 0 12 12" role="img" '
        f'aria-label="{escape(word)}">{_mark(shape, colour, 6, 6)}</svg>'
    )


def _text(
    x: float, y: float, text: str, *, size: float = 10, anchor: str = "start", **kw: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in kw.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}" text-anchor="{anchor}" {FONT}'
        f"{extra}>{escape(text)}</text>"
    )


def timeline(
    engagements: Sequence[str],
    numbered: Sequence[tuple[int, Deadline]],
    as_of: dt.date,
) -> str:
    """Deadlines of the next ``WINDOW_DAYS`` days and stale evidence, one lane per engagement.

    Each mark carries the number of its row in the calendar table below the chart.
    """
    lanes = {e: i for i, e in enumerate(engagements)}
    height = HEAD_H + LANE_H * max(len(engagements), 1) + 8
    x0, x1 = LABEL_W + STALE_W, WIDTH - 12

    def x_of(date: dt.date) -> float:
        return x0 + (date - as_of).days / WINDOW_DAYS * (x1 - x0)

    parts = [
        f'<svg class="chart" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        'role="img" aria-labelledby="timeline-title">',
        f'<title id="timeline-title">Deadlines from {as_of.isoformat()} for {WINDOW_DAYS} days, '
        "and stale evidence, by engagement</title>",
        f'<rect x="{LABEL_W}" y="{HEAD_H - 6}" width="{STALE_W - 6}" '
        f'height="{height - HEAD_H - 2}" fill="#f6eadf"/>',
        _text(LABEL_W + (STALE_W - 6) / 2, HEAD_H - 10, "stale", anchor="middle"),
    ]
    month = dt.date(as_of.year, as_of.month, 1)
    end = as_of + dt.timedelta(days=WINDOW_DAYS)
    while month <= end:
        if month > as_of:
            x = x_of(month)
            parts.append(
                f'<line x1="{x:.1f}" y1="{HEAD_H - 6}" x2="{x:.1f}" y2="{height - 8}" '
                'stroke="#d0d0d0" stroke-width="1"/>'
            )
            parts.append(_text(x + 2, HEAD_H - 10, month.strftime("%b %Y"), size=9))
        month = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    parts.append(
        f'<line x1="{x0:.1f}" y1="{HEAD_H - 20}" x2="{x0:.1f}" y2="{height - 8}" '
        'stroke="#000" stroke-width="1.5"/>'
    )
    parts.append(_text(x0 + 2, 10, f"as of {as_of.isoformat()}", size=9, font_weight="bold"))
    for name, lane in lanes.items():
        y = HEAD_H + lane * LANE_H + LANE_H / 2
        parts.append(
            f'<line x1="{LABEL_W}" y1="{y + LANE_H / 2:.1f}" x2="{x1}" y2="{y + LANE_H / 2:.1f}" '
            'stroke="#eeeeee"/>'
        )
        parts.append(_text(4, y + 4, name, size=10))
    # One mark per engagement, date and kind, labelled with every row number it stands for.
    marks: dict[tuple[str, str, str], list[int]] = {}
    for number, deadline in numbered:
        marks.setdefault((deadline.engagement, deadline.date, deadline.kind), []).append(number)
    stale_count: dict[str, int] = {}
    last_x: dict[tuple[str, int], float] = {}
    for (engagement, date, kind), numbers in marks.items():
        y = HEAD_H + lanes[engagement] * LANE_H + LANE_H / 2
        _, colour, shape = KIND_STYLE[kind]
        label = ",".join(str(n) for n in numbers)
        if kind == "stale":
            k = stale_count.get(engagement, 0)
            stale_count[engagement] = k + 1
            x, row = LABEL_W + 10 + (k % 3) * 16, k // 3
        else:
            x = x_of(dt.date.fromisoformat(date))
            gaps = [abs(last_x.get((engagement, r), -99.0) - x) for r in (0, 1)]
            row = 0 if gaps[0] >= 16 else (1 if gaps[1] >= 16 else int(gaps[1] > gaps[0]))
            last_x[(engagement, row)] = x
        y += -6 if row == 0 else 8
        parts.append(_mark(shape, colour, x, y, 5))
        parts.append(_text(x, y - 8 if row == 0 else y + 15, label, size=8, anchor="middle"))
    parts.append("</svg>")
    return "".join(parts)


def bars(shares: Sequence[Share], total: int, caption: str, label: str) -> str:
    """Horizontal bars: each vendor's or country's share of the critical workloads."""
    row_h = 24
    height = 22 + row_h * max(len(shares), 1)
    bar_x, bar_w = 250, 300
    ident = caption.lower().replace(" ", "-")
    parts = [
        f'<svg class="chart" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{ident}">',
        f'<title id="{ident}">{escape(caption)}</title>',
        _text(4, 12, label, size=10, font_weight="bold"),
        f'<line x1="{bar_x + bar_w}" y1="16" x2="{bar_x + bar_w}" y2="{height}" '
        'stroke="#999" stroke-dasharray="3,3"/>',
        _text(bar_x + bar_w, 12, "100%", size=9, anchor="middle"),
    ]
    for i, share in enumerate(shares):
        y = 20 + i * row_h
        width = bar_w * share.share_pct / 100
        parts.append(_text(4, y + 14, share.name, size=10))
        parts.append(
            f'<rect x="{bar_x}" y="{y + 3}" width="{width:.1f}" height="{row_h - 8}" '
            'fill="#44546a" stroke="#000" stroke-width="0.5"/>'
        )
        parts.append(
            _text(
                bar_x + bar_w + 8,
                y + 14,
                f"{share.critical} of {total} critical ({share.share_pct}%)",
                size=10,
            )
        )
    parts.append("</svg>")
    return "".join(parts)
