"""A bar chart drawn server-side as inline SVG: no JavaScript, nothing fetched from outside the intranet."""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD_TOP = 640, 220, 40, 36, 12


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    values: list[int]


def _grid(top: int, plot_h: int) -> list[str]:
    lines = []
    for step in range(5):
        value = top * step // 4
        y = PAD_TOP + plot_h - plot_h * step / 4
        lines.append(f'<line x1="{PAD_LEFT}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                     f'<text x="{PAD_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{value}</text>')
    return lines


def bar_chart(*, labels: list[str], series: list[Series], title: str) -> SafeString:
    """Grouped bars, one group per label. Values are integers; the text of every figure is in the SVG."""
    highest = max([max(s.values, default=0) for s in series] + [1])
    top = math.ceil(highest / 4) * 4  # four whole-number grid steps
    plot_h, plot_w = HEIGHT - PAD_BOTTOM - PAD_TOP, WIDTH - PAD_LEFT
    group_w = plot_w / max(len(labels), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 24}" role="img" '
             f'aria-label="{escape(title)}" class="vigie-chart"><title>{escape(title)}</title>', *_grid(top, plot_h)]
    for index, label in enumerate(labels):
        x0 = PAD_LEFT + index * group_w + group_w * 0.1
        for rank, serie in enumerate(series):
            value = serie.values[index]
            height = plot_h * value / top
            x, y = x0 + rank * bar_w, PAD_TOP + plot_h - height
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{height:.1f}" '
                         f'fill="{serie.colour}"><title>{escape(serie.label)} · {escape(label)} : {value}</title>'
                         f'</rect>')
        parts.append(f'<text x="{x0 + group_w * 0.4:.1f}" y="{HEIGHT - PAD_BOTTOM + 16}" text-anchor="middle" '
                     f'font-size="11">{escape(label)}</text>')
    for rank, serie in enumerate(series):
        x = PAD_LEFT + rank * 160
        parts.append(f'<rect x="{x}" y="{HEIGHT + 6}" width="12" height="12" fill="{serie.colour}"/>'
                     f'<text x="{x + 18}" y="{HEIGHT + 16}" font-size="12">{escape(serie.label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above went through escape()
