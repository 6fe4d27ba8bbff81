"""The Customer Service Excellence evidence pack as one printable, self-contained HTML page:
a section for each criterion with its figures (each naming its source and period), tables
and charts, the charts drawn as PNG and embedded, so the file can be mailed to an assessor
or printed with nothing else beside it. Pure: evidence in, HTML out.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io

from bot.cse.evidence import Criterion, Evidence, Table, Trend

DEFAULT_CENTRE = "our contact centre"  # the title's name when none is given

STYLE = """
body { font-family: "Segoe UI", Arial, sans-serif; color: #1b1b1b; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { border-bottom: 2px solid #1d70b8;
     padding-bottom: 0.2rem; margin-top: 2.2rem; } h3 { font-size: 1.05rem; }
nav ol { columns: 2; } .period { color: #505a5f; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #b1b4b6;
         vertical-align: top; }
th { background: #f3f2f1; } td.n { text-align: right; white-space: nowrap; }
.source { color: #505a5f; font-size: 0.85rem; } figure { margin: 1rem 0; }
img { max-width: 100%; } @media print { section { break-before: page; } nav { display: none; } }
"""


def render(evidence: Evidence, *, centre: str, made: dt.datetime) -> str:
    """The whole page."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        f"<title>Customer Service Excellence evidence: {_e(centre)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Customer Service Excellence evidence: {_e(centre)}</h1>",
        f'<p class="period">{_e(evidence.period)}. Made by Deskmate on '
        f"{made:%-d %B %Y at %H:%M}.</p>",
        "<nav><h2>Contents</h2><ol>",
        *(f'<li><a href="#{c.anchor}">{_e(c.name)}</a></li>' for c in evidence.criteria),
        "</ol></nav>",
        *(_section(number, c) for number, c in enumerate(evidence.criteria, start=1)),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _section(number: int, criterion: Criterion) -> str:
    rows = "".join(
        f'<tr><td>{_e(f.label)}</td><td class="n">{_e(f.value)}</td>'
        f'<td class="source">{_e(f.source)}</td></tr>'
        for f in criterion.facts
    )
    parts = [
        f'<section id="{criterion.anchor}">',
        f"<h2>{number}. {_e(criterion.name)}</h2>",
        f"<p>{_e(criterion.summary)}</p>",
        "<table><thead><tr><th>Figure</th><th>Value</th><th>Source and period</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>",
        *(_table(table) for table in criterion.tables),
        *(_chart(trend) for trend in criterion.trends),
        "</section>",
    ]
    return "\n".join(parts)


def _table(table: Table) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in table.headers)
    if table.rows:
        body = "".join(
            "<tr>" + "".join(f"<td>{_e(cell)}</td>" for cell in row) + "</tr>" for row in table.rows
        )
    else:
        body = f'<tr><td colspan="{len(table.headers)}">None in this period.</td></tr>'
    return (
        f"<h3>{_e(table.title)}</h3><table><thead><tr>{head}</tr></thead>"
        f'<tbody>{body}</tbody></table><p class="source">Source: {_e(table.source)}</p>'
    )


def _chart(trend: Trend) -> str:
    data = base64.b64encode(chart_png(trend)).decode("ascii")
    shown = ", ".join(
        f"{month}: {'no data' if value is None else f'{value:.1f} {trend.unit}'}"
        for month, value in zip(trend.months, trend.values, strict=True)
    )
    return (
        f"<figure><h3>{_e(trend.title)}</h3>"
        f'<img src="data:image/png;base64,{data}" alt="{_e(trend.title)}: {_e(shown)}">'
        f'<figcaption class="source">Source: {_e(trend.source)}</figcaption></figure>'
    )


def chart_png(trend: Trend) -> bytes:
    """A line chart of the trend as PNG bytes (drawn in memory; no display needed)."""
    import matplotlib

    matplotlib.use("Agg")  # before pyplot: a server has no display
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 3), dpi=100)
    axes = figure.subplots()
    points = [(m, v) for m, v in zip(trend.months, trend.values, strict=True) if v is not None]
    if points:
        axes.plot([m for m, _ in points], [v for _, v in points], marker="o", color="#1d70b8")
    else:
        axes.text(0.5, 0.5, "No data in this period", ha="center", va="center")
    axes.set_ylabel(trend.unit)
    if trend.unit == "%":
        axes.set_ylim(0, 100)
    axes.set_title(trend.title)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
