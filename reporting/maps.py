"""From a layer's figures to the map: styles, legend, one area per department."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from reporting.selectors import FUND_STATE_LABELS, FUND_STATES, DepartmentFigure
from reporting.svgmap import Area, Style, draw, swatch

STATE_STYLES = {
    "overdue": Style("overdue", FUND_STATE_LABELS["overdue"], "#ce0500", "cross"),
    "not_sent": Style("not_sent", FUND_STATE_LABELS["not_sent"], "#a58f6e", "dots"),
    "sent": Style("sent", FUND_STATE_LABELS["sent"], "#fcc63a", "lines"),
    "received": Style("received", FUND_STATE_LABELS["received"], "#6a6af4", "bars"),
    "implemented": Style("implemented", FUND_STATE_LABELS["implemented"], "#18753c", "plain"),
}
OUTSIDE = Style("outside", "Hors du champ (aucune caisse concernée)", "#e5e5e5", "plain")
SCALE = [("#f5f5fe", "plain"), ("#cacafb", "dots"), ("#8585f6", "lines"), ("#3a3ad9", "bars"), ("#000091", "cross")]


@dataclass
class Drawing:
    svg: str
    legend: list[tuple[str, str]]  # (swatch SVG, label)

    def for_template(self) -> tuple[SafeString, list[tuple[SafeString, str]]]:
        """(svg, legend) marked safe for a template: both are built here from escaped parts."""
        return mark_safe(self.svg), [(mark_safe(svg), label) for svg, label in self.legend]  # noqa: S308


def scale_styles(maximum: int) -> list[tuple[int, int, Style]]:
    """Five classes: zero, then four equal steps up to the maximum (bounds shown in the legend)."""
    styles = [(0, 0, Style("c0", "0", *SCALE[0]))]
    step = max(1, -(-maximum // 4))
    for index in range(4):
        low, high = index * step + 1, (index + 1) * step
        label = str(low) if low == high else f"{low} à {high}"
        styles.append((low, high, Style(f"c{index + 1}", label, *SCALE[index + 1])))
    return styles


def _scale_style(value: int, styles) -> Style:
    return next((style for _, high, style in styles if value <= high), styles[-1][2])


def _title(figure: DepartmentFigure, shown) -> str:
    funds = " ; ".join(f"{f.fund.code} {f.fund.name} : {shown(f.value)}" for f in figure.funds)
    return f"{figure.code} {figure.name} — {shown(figure.value)} ({funds})"


def _url(figure: DepartmentFigure, key) -> str:
    fund = min(figure.funds, key=key).fund if figure.funds else None
    return reverse("fund-detail", args=[fund.code]) if fund else ""


def draw_states(figures: dict[str, DepartmentFigure], title: str) -> Drawing:
    """Instruction layer: each department in its worst fund's state; the click goes to that fund."""
    areas = {code: Area(code, STATE_STYLES[f.value], _title(f, FUND_STATE_LABELS.get),
                        _url(f, lambda ff: FUND_STATES.index(ff.value)))
             for code, f in figures.items()}
    styles = [STATE_STYLES[s] for s in FUND_STATES]
    return Drawing(draw(areas=areas, styles=styles, empty=OUTSIDE, title=title),
                   [(swatch(s), s.label) for s in [*styles, OUTSIDE]])


def draw_counts(figures: dict[str, DepartmentFigure], title: str, unit: str, patterned: bool = True) -> Drawing:
    """Count layers: five classes from zero to the largest department."""
    styles = scale_styles(max((f.value for f in figures.values()), default=0))
    areas = {code: Area(code, _scale_style(f.value, styles), _title(f, lambda v: f"{v} {unit}"),
                        _url(f, lambda ff: -ff.value))
             for code, f in figures.items()}
    plain = [style for _, _, style in styles]
    return Drawing(draw(areas=areas, styles=plain, empty=OUTSIDE, title=title, patterned=patterned),
                   [*((swatch(s), f"{s.label} {unit}") for s in plain), (swatch(OUTSIDE), OUTSIDE.label)])
