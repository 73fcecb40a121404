"""The map of France drawn on the server from pygal-maps-fr's department boundaries (no tiles, no CDN).

The SVG file is read once; each department becomes one <g> with its value, pattern, <title> and fund link.
Corsica (2A, 2B) and the overseas departments (971–976) are insets of that file; Paris and its inner ring appear a
second time, enlarged, as in the source."""

import functools
import importlib.resources
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.utils.html import escape

SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Outline:
    department: str
    paths: tuple[str, ...]


@dataclass(frozen=True)
class Layer:
    """A group of the source file: metropolitan France, the enlarged Paris ring, or the overseas insets."""

    name: str
    transform: str
    outlines: tuple[Outline, ...]


@dataclass(frozen=True)
class Boundaries:
    view_box: str
    layers: tuple[Layer, ...]

    @property
    def departments(self) -> set[str]:
        return {outline.department for layer in self.layers for outline in layer.outlines}


@functools.cache
def boundaries() -> Boundaries:
    """fr.departments.svg as groups of departments and their path data (read once per process)."""
    source = importlib.resources.files("pygal_maps_fr").joinpath("fr.departments.svg").read_bytes()
    root = ET.fromstring(source)  # noqa: S314 — a file installed with the package, not user input
    layers = []
    for group in root.findall(f"{SVG_NS}g"):
        outlines = []
        for element in group.findall(f"{SVG_NS}g"):
            code = element.get("class", "").split()[0].removeprefix("z")
            outlines.append(Outline(code, tuple(p.get("d") for p in element.iter(f"{SVG_NS}path"))))
        layers.append(Layer(group.get("id", ""), group.get("transform", ""), tuple(outlines)))
    return Boundaries(root.get("viewBox"), tuple(layers))


# Patterns as well as colours: the legend and the map read without colour (WCAG 1.4.1).
PATTERNS = {
    "plain": "",
    "lines": '<path d="M0 8 L8 0" stroke="#000" stroke-width="1.2" opacity=".55"/>',
    "dots": '<circle cx="4" cy="4" r="1.6" fill="#000" opacity=".55"/>',
    "cross": '<path d="M0 0 L8 8 M0 8 L8 0" stroke="#fff" stroke-width="1.4"/>',
    "bars": '<path d="M0 4 H8" stroke="#fff" stroke-width="1.6"/>',
}


@dataclass(frozen=True)
class Style:
    key: str
    label: str
    colour: str
    pattern: str


@dataclass
class Area:
    """What the map shows for one department."""

    department: str
    style: Style
    title: str
    url: str = ""


def _defs(styles: list[Style]) -> str:
    parts = []
    for style in styles:
        marks = PATTERNS[style.pattern]
        parts.append(f'<pattern id="map-{style.key}" width="8" height="8" patternUnits="userSpaceOnUse">'
                     f'<rect width="8" height="8" fill="{style.colour}"/>{marks}</pattern>')
    return "<defs>" + "".join(parts) + "</defs>"


def draw(*, areas: dict[str, Area], styles: list[Style], empty: Style, title: str, patterned: bool = True) -> str:
    """The whole map as an SVG string: one <g data-department> per outline, filled with its style's pattern (or
    its plain colour: the PDF report, where patterns cost seconds, gives the figures in a table instead)."""
    shape = boundaries()
    layers = []
    for layer in shape.layers:
        groups = [_department(outline, areas.get(outline.department), empty, patterned) for outline in layer.outlines]
        layers.append(f'<g data-layer="{layer.name}" transform="{layer.transform}">{"".join(groups)}</g>')
    # A group, not an image: its departments are links, and an image's children are not reachable.
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{shape.view_box}" class="vigie-map" role="group" '
            f'aria-labelledby="vigie-map-title" data-testid="map"><title id="vigie-map-title">{escape(title)}</title>'
            f'{_defs([*styles, empty]) if patterned else ""}{"".join(layers)}</svg>')


def _department(outline: Outline, area: Area | None, empty: Style, patterned: bool) -> str:
    style = area.style if area else empty
    paths = "".join(f'<path d="{d}"/>' for d in outline.paths)
    label = escape(area.title if area else outline.department)
    fill = f"url(#map-{style.key})" if patterned else style.colour
    body = (f'<g class="vigie-map__dept" data-department="{outline.department}" data-value="{style.key}" '
            f'fill="{fill}" stroke="#fff" stroke-width="1"><title>{label}</title>{paths}</g>')
    return f'<a href="{escape(area.url)}">{body}</a>' if area and area.url else body


def swatch(style: Style) -> str:
    """A legend square drawn with the same colour and pattern as the map."""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 8 8" aria-hidden="true">'
            f'<defs><pattern id="legend-{style.key}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" fill="{style.colour}"/>{PATTERNS[style.pattern]}</pattern></defs>'
            f'<rect width="8" height="8" fill="url(#legend-{style.key})" stroke="#666" stroke-width=".3"/></svg>')
