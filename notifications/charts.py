"""A small server-side SVG chart: acknowledgements over time. No JavaScript, nothing from a CDN."""

import datetime

from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT, PAD = 640, 220, 40


def acknowledgement_points(acknowledged_at: list[datetime.datetime]) -> list[tuple[datetime.datetime, int]]:
    """The cumulative count of acknowledgements at each acknowledgement time."""
    return [(moment, index + 1) for index, moment in enumerate(sorted(acknowledged_at))]


def _fmt(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m %H:%M")


def acknowledgement_chart(*, start: datetime.datetime, total: int, acknowledged_at: list[datetime.datetime],
                          now: datetime.datetime | None = None) -> SafeString:
    """An inline SVG step line from `start` (issue) to now: how many funds had acknowledged, out of `total`."""
    now = now or timezone.now()
    points = acknowledgement_points(acknowledged_at)
    end = max([now, start + datetime.timedelta(minutes=1)] + [p[0] for p in points])
    span = (end - start).total_seconds()
    scale_y = max(total, 1)

    def xy(moment: datetime.datetime, count: int) -> str:
        x = PAD + (WIDTH - 2 * PAD) * max((moment - start).total_seconds(), 0) / span
        y = HEIGHT - PAD - (HEIGHT - 2 * PAD) * count / scale_y
        return f"{x:.1f},{y:.1f}"

    path, count = [xy(start, 0)], 0
    for moment, count_after in points:
        path += [xy(moment, count), xy(moment, count_after)]
        count = count_after
    path.append(xy(end, count))
    labels = format_html_join("", '<text x="{}" y="{}" font-size="11" text-anchor="{}">{}</text>', [
        (PAD, HEIGHT - PAD + 16, "start", _fmt(start)), (WIDTH - PAD, HEIGHT - PAD + 16, "end", _fmt(end)),
        (PAD - 6, HEIGHT - PAD + 4, "end", "0"), (PAD - 6, PAD + 4, "end", str(total)),
    ])
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" '
        'aria-label="{aria}" data-testid="ack-chart"><title>{aria}</title>'
        '<line x1="{p}" y1="{b}" x2="{r}" y2="{b}" stroke="#666"/><line x1="{p}" y1="{p}" x2="{p}" y2="{b}" '
        'stroke="#666"/><line x1="{p}" y1="{p}" x2="{r}" y2="{p}" stroke="#ddd" stroke-dasharray="4"/>'
        '<polyline fill="none" stroke="#000091" stroke-width="2" points="{points}"/>{labels}</svg>',
        w=WIDTH, h=HEIGHT, p=PAD, b=HEIGHT - PAD, r=WIDTH - PAD, points=" ".join(path), labels=labels,
        aria=f"Accusés de réception dans le temps : {count} sur {total}",
    )
