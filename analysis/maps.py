"""The cluster's maps: areas coloured by a figure, drawn on the server as SVG.

Each map is an inline SVG (no request of its own, no script, drawn the same by browsers and
by WeasyPrint in the bulletin) with its legend and notes in HTML beside it, so that Arabic is
shaped and read right to left like the page, and the table next to the map gives every
figure in words. Each area is a path with its name and figure in a ``<title>``; the figure
is also printed on the area where it fits.

Colours:
- counts (partners, people) in five classes of ColorBrewer's sequential "Blues" (Cynthia
  Brewer, colorbrewer2.org: marked there colour-blind safe and print friendly), the classes
  cut at the quantiles of the areas' own figures and stated in the legend;
- severity in the five phases of the JIAF 2.0 scale (1 Minimal, 2 Stress, 3 Severe,
  4 Extreme, 5 Catastrophic), coloured as the IPC colours its five phases (IPC Technical
  Manual 3.1, 2021: #CDFACD, #FAE61E, #E67800, #C80000, #640000), the convention severity
  maps of humanitarian needs overviews follow; lightness rises with the phase, so the order
  reads without telling hues apart, and every phase is also written in the legend;
- an area with no figure is light grey with the words "No data" in the legend, never the
  colour of zero; an area whose figure the public may not see is grey too, said apart;
- gaps (severe needs with no partner serving them lately) hatched in black over severity.
"""

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from analysis.cache import cached
from analysis.selectors import areas_by_id
from core.bilingual import wants_arabic
from core.numbers import grouped
from locations.drawing import Basemap, Shape, draw
from locations.models import AreaBoundary

BLUES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
SEVERITY_FILLS = {1: "#cdfacd", 2: "#fae61e", 3: "#e67800", 4: "#c80000", 5: "#640000"}
NO_DATA_FILL = "#e4e4e4"
NONE_FILL = "#ffffff"  # a known zero, where the map can know it
WITHHELD_FILL = "#b8b8b8"
EDGE = "#ffffff"  # between areas: white, so that the classes' colours read as they are
BORDER = "#4a4a4a"  # around the whole
HATCH_ID = "gap-hatch"
LABEL_SIZE = 22  # drawing units: a 640-unit map is drawn 300 to 640 px wide


@dataclass(frozen=True)
class LegendItem:
    fill: str
    text: str
    hatched: bool = False


@dataclass
class Choropleth:
    """One map: the areas, each with its fill, its printed label and its title."""

    basemap: Basemap
    title: str
    fills: dict[int, str] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    titles: dict[int, str] = field(default_factory=dict)
    hatched: set[int] = field(default_factory=set)
    legend: list[LegendItem] = field(default_factory=list)
    unit: str = ""  # what the legend's classes count
    note: str = ""

    @property
    def areas_with_data(self) -> int:
        return sum(1 for fill in self.fills.values() if fill not in (NO_DATA_FILL, WITHHELD_FILL))


@cached(figures=False)
def basemap(level: int, within: str = "") -> Basemap | None:
    """The areas of ``level`` that have a boundary (inside the area of path ``within`` when
    given), drawn; None when none has one. Kept until the areas change."""
    boundaries = AreaBoundary.objects.filter(area__level=level, outline__isnull=False)
    if within:
        boundaries = boundaries.filter(area__path__startswith=within)
    rows = boundaries.order_by("area__path").values_list(
        "area_id", "area__pcode", "area__name_en", "area__name_ar", "area__path", "outline"
    )
    return draw(list(rows))


def quantile_classes(values: Iterable[float], count: int = len(BLUES)) -> list[tuple]:
    """The figures cut into at most ``count`` classes at their quantiles: a list of the
    classes' (lowest, highest) figures, each class holding at least one area."""
    ordered = sorted(values)
    if not ordered:
        return []
    uppers = []
    for step in range(1, count + 1):
        upper = ordered[max(0, -(-step * len(ordered) // count) - 1)]
        if not uppers or upper > uppers[-1]:
            uppers.append(upper)
    classes, lowest = [], None
    for upper in uppers:
        inside = [
            value for value in ordered if (lowest is None or value > lowest) and value <= upper
        ]
        classes.append((inside[0], upper))
        lowest = upper
    return classes


def _ramp(classes: list[tuple]) -> list[str]:
    """The Blues for ``classes``, spread from the lightest to the darkest."""
    if len(classes) == 1:
        return [BLUES[2]]
    last = len(BLUES) - 1
    return [BLUES[round(index * last / (len(classes) - 1))] for index in range(len(classes))]


def _class_text(lowest, highest, write: Callable) -> str:
    if lowest == highest:
        return write(lowest)
    return _("%(lowest)s to %(highest)s") % {"lowest": write(lowest), "highest": write(highest)}


def counts_map(
    base: Basemap,
    title: str,
    figures: dict[int, object],
    *,
    unit: str,
    write: Callable = grouped,
    withheld: Callable[[object], bool] = lambda value: False,
    none: str = "",
) -> Choropleth:
    """Areas coloured by a count in quantile classes. ``figures`` by area id: a number, a
    figure withheld from the public (``withheld``), or missing for no data; with ``none``
    (the words for it), a zero is a known zero, apart from no data."""
    shown = {
        area: value
        for area, value in figures.items()
        if value is not None and not withheld(value) and value > 0
    }
    classes = quantile_classes(shown.values())
    colours = _ramp(classes)
    result = Choropleth(base, title, unit=unit)
    for item in base.shapes:
        value = figures.get(item.area_id)
        if item.area_id in shown:
            index = next(i for i, (_low, high) in enumerate(classes) if value <= high)
            result.fills[item.area_id] = colours[index]
            result.labels[item.area_id] = write(value)
            result.titles[item.area_id] = f"{_name(item)}: {write(value)}"
        elif value is not None and withheld(value):
            result.fills[item.area_id] = WITHHELD_FILL
            result.titles[item.area_id] = f"{_name(item)}: {value}"
        elif none and value == 0:
            result.fills[item.area_id] = NONE_FILL
            result.titles[item.area_id] = f"{_name(item)}: {none}"
        else:
            result.fills[item.area_id] = NO_DATA_FILL
            no_data = _("no data")
            result.titles[item.area_id] = f"{_name(item)}: {no_data}"
    result.legend = [
        LegendItem(colour, _class_text(low, high, write))
        for colour, (low, high) in zip(colours, classes, strict=True)
    ]
    if none and NONE_FILL in result.fills.values():
        result.legend.insert(0, LegendItem(NONE_FILL, none))
    _add_missing(result)
    if classes:
        result.note = _("Classes cut at the quantiles of the %(count)s areas with a figure.") % {
            "count": grouped(len(shown))
        }
    return result


def severity_map(
    base: Basemap, title: str, severities: dict[int, int], gaps: set[int] | None = None
) -> Choropleth:
    """Areas coloured by the highest severity found (1 to 5), gaps hatched over them."""
    from assessments.templatetags.severity import BADGES

    result = Choropleth(base, title, unit=_("Severity phase (JIAF 2.0)"))
    for item in base.shapes:
        severity = severities.get(item.area_id)
        if severity in SEVERITY_FILLS:
            words = BADGES[severity][1]
            result.fills[item.area_id] = SEVERITY_FILLS[severity]
            result.labels[item.area_id] = str(severity)
            result.titles[item.area_id] = f"{_name(item)}: {severity} \u2013 {words}"
        else:
            result.fills[item.area_id] = NO_DATA_FILL
            no_findings = _("no findings")
            result.titles[item.area_id] = f"{_name(item)}: {no_findings}"
        if gaps is not None and item.area_id in gaps:
            result.hatched.add(item.area_id)
            result.titles[item.area_id] += " \u2013 " + _("a gap")
    result.legend = [
        LegendItem(SEVERITY_FILLS[phase], f"{phase} \u2013 {BADGES[phase][1]}")
        for phase in sorted(SEVERITY_FILLS)
    ]
    if gaps is not None:
        result.legend.append(
            LegendItem("#ffffff", _("Gap: severe needs, no partner serving them lately"), True)
        )
    _add_missing(result, _("No findings"))
    return result


def _add_missing(result: Choropleth, no_data: str | None = None) -> None:
    fills = set(result.fills.values())
    if WITHHELD_FILL in fills:
        result.legend.append(LegendItem(WITHHELD_FILL, _("Not shown to the public")))
    if NO_DATA_FILL in fills:
        result.legend.append(LegendItem(NO_DATA_FILL, no_data or _("No data")))


def _name(item: Shape) -> str:
    return (item.name_ar or item.name_en) if wants_arabic() else item.name_en


# --- writing ----------------------------------------------------------------------------------


SHAPE_ID = "map-area-{}"


def svg(chart: Choropleth, *, labelled_by: str = "", shared: str = "") -> SafeString:
    """The map as an inline SVG element. Maps of one page drawn on the same areas share
    their shapes: the first (``shared="define"``) holds every area's path once in its
    ``<defs>``, and each map (that one too) draws them with ``<use>``, coloured by its own
    figures (``shared="use"``): four admin2 maps of 300 districts weighed 168 KB gzipped
    with a copy each. Alone (``""``), a map draws its paths itself, as the bulletin's do."""
    base = chart.basemap
    parts = [
        f'<svg class="map-svg" viewBox="0 0 {base.width} {base.height}" role="img"'
        f' xmlns="http://www.w3.org/2000/svg"'
        + (f' aria-labelledby="{escape(labelled_by)}"' if labelled_by else "")
        + ">"
    ]
    defs = []
    if chart.hatched:
        defs.append(
            f'<pattern id="{HATCH_ID}" width="12" height="12" patternUnits="userSpaceOnUse"'
            ' patternTransform="rotate(45)"><rect width="3" height="12" fill="#000000"/>'
            '<rect x="3" width="2" height="12" fill="#ffffff"/></pattern>'
        )
    if shared == "define":
        defs += [
            f'<path id="{SHAPE_ID.format(item.area_id)}" d="{item.path}"/>' for item in base.shapes
        ]
    if defs:
        parts.append(f"<defs>{''.join(defs)}</defs>")
    parts.append(f'<g stroke="{EDGE}" stroke-width="1.5" stroke-linejoin="round">')
    for item in base.shapes:
        fill = chart.fills.get(item.area_id, NO_DATA_FILL)
        title = f"<title>{escape(chart.titles.get(item.area_id) or _name(item))}</title>"
        parts.append(_shape(item, f'fill="{fill}" fill-rule="evenodd"', shared, title))
    parts.append("</g>")
    for item in base.shapes:
        if item.area_id in chart.hatched:
            paint = (
                f'fill="url(#{HATCH_ID})" fill-rule="evenodd" stroke="#000000"'
                ' stroke-width="2" aria-hidden="true"'
            )
            parts.append(_shape(item, paint, shared, ""))
    if base.parents:
        parts.append(
            f'<path d="{base.parents}" fill="none" stroke="{BORDER}" stroke-width="1.5"'
            ' fill-rule="evenodd" aria-hidden="true"/>'
        )
    parts.append(
        f'<path d="{base.border}" fill="none" stroke="{BORDER}" stroke-width="2"'
        ' fill-rule="evenodd" aria-hidden="true"/>'
    )
    parts.append(_labels(chart))
    parts.append(_scale(base))
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _shape(item: Shape, paint: str, shared: str, inside: str) -> str:
    """One area: its own path, or a use of the page's shared one."""
    if shared:
        return f'<use href="#{SHAPE_ID.format(item.area_id)}" {paint}>{inside}</use>'
    if inside:
        return f'<path d="{item.path}" {paint}>{inside}</path>'
    return f'<path d="{item.path}" {paint}/>'


def _labels(chart: Choropleth) -> str:
    texts = []
    for item in chart.basemap.shapes:
        label = chart.labels.get(item.area_id)
        if not label or not _fits(label, item.room):
            continue
        fill = chart.fills[item.area_id]
        ink, halo = ("#ffffff", "#000000") if _dark(fill) else ("#000000", "#ffffff")
        # The halo first, then the figure over it: WeasyPrint knows no ``paint-order``.
        at = f'x="{item.label_x:.1f}" y="{item.label_y + LABEL_SIZE * 0.35:.1f}"'
        texts.append(
            f'<text {at} fill="{halo}" stroke="{halo}" stroke-width="4"'
            f' stroke-linejoin="round">{escape(label)}</text>'
            f'<text {at} fill="{ink}">{escape(label)}</text>'
        )
    if not texts:
        return ""
    return (
        f'<g font-size="{LABEL_SIZE}" font-weight="600" text-anchor="middle" aria-hidden="true">'
        + "".join(texts)
        + "</g>"
    )


def _fits(label: str, room: float) -> bool:
    """Whether the label fits inside the area around its point (digits about 0.6 em wide)."""
    return len(label) * LABEL_SIZE * 0.3 <= room * 1.3 and room >= LABEL_SIZE * 0.6


def _dark(fill: str) -> bool:
    red, green, blue = (int(fill[i : i + 2], 16) for i in (1, 3, 5))
    return 0.299 * red + 0.587 * green + 0.114 * blue < 128


def _scale(base: Basemap) -> str:
    """The scale bar in the bottom corner, its distance under it."""
    x, y = 12, base.height - 6
    end = x + base.scale_length
    km = _("%(km)s km") % {"km": grouped(base.scale_km)}
    # Translators: the letter for north on a map's arrow.
    north = _("N")
    return (
        f'<g aria-hidden="true"><path d="M{x} {y - 8}v8h{base.scale_length:.1f}v-8"'
        f' fill="none" stroke="#000000" stroke-width="2"/>'
        f'<text x="{(x + end) / 2:.1f}" y="{y - 12}" font-size="18" text-anchor="middle"'
        f' fill="#000000">{escape(km)}</text></g>'
        f'<g aria-hidden="true" transform="translate({base.width - 24} 30)">'
        '<path d="M0 -22L9 4L0 -2L-9 4z" fill="#000000"/>'
        f'<text y="24" font-size="18" text-anchor="middle" fill="#000000">{escape(north)}</text>'
        "</g>"
    )


def legend(chart: Choropleth) -> SafeString:
    """The legend as an HTML list: a swatch and its words per class."""
    items = []
    for item in chart.legend:
        pattern = ""
        if item.hatched:
            pattern = (
                '<path d="M0 14L14 0M-4 4L4 -4M10 18L18 10" stroke="#000000" stroke-width="2.5"/>'
            )
        items.append(
            '<li><svg class="legend-key" viewBox="0 0 14 14" aria-hidden="true">'
            f'<rect width="14" height="14" fill="{item.fill}" stroke="#6c757d"/>{pattern}</svg>'
            f"{escape(item.text)}</li>"
        )
    unit = (
        f'<p class="map-unit small fw-semibold mb-1">{escape(chart.unit)}</p>' if chart.unit else ""
    )
    return mark_safe(f'{unit}<ul class="chart-legend map-legend">{"".join(items)}</ul>')


# --- the dashboard's maps ---------------------------------------------------------------------


@dataclass(frozen=True)
class MapFigure:
    slug: str  # the figure's id on the page
    chart: Choropleth
    caption: str
    shared: str = ""  # "define" or "use" when the page's maps share their shapes (``svg``)

    def svg(self) -> SafeString:
        return svg(self.chart, labelled_by=f"{self.slug}-caption", shared=self.shared)

    def legend(self) -> SafeString:
        return legend(self.chart)

    @property
    def title(self) -> str:
        return self.chart.title

    @property
    def note(self) -> str:
        return self.chart.note


@cached(figures=False)
def populations(level: int, year: int) -> dict:
    """Each area of ``level``'s population for ``year`` (``locations.selectors``), kept
    until the areas or their figures change."""
    from locations.models import AdminArea
    from locations.selectors import population_by_area

    return population_by_area(AdminArea.objects.filter(level=level).values("pk"), year)


PER_PEOPLE = 10_000


def per_head(people, population) -> float | None:
    """People reached per 10,000 inhabitants, or None when either is unknown or withheld."""
    if not isinstance(people, int) or population is None or not population.total:
        return None
    return people * PER_PEOPLE / population.total


def write_rate(value: float) -> str:
    """A rate per 10,000: a decimal below 100, where it tells areas apart, whole above."""
    if value >= 100:
        return grouped(round(value))
    return number_format(value, 1, use_l10n=True)


def area_maps(
    filters, rows, severity_rows, gap_ids: set[int] | None, population: dict | None = None
) -> list[MapFigure]:
    """The areas tab's maps at its level: partners present, people reached (and per head
    where ``population`` is known), and the highest severity with the gaps (``gap_ids``: the
    areas to hatch, None for no gaps shown)."""
    from partners.disclosure import Withheld

    level = 2 if filters.detailed else 1
    base = basemap(level, filters.area.path if filters.area else "")
    if base is None:
        return []
    partners, people = {}, {}
    for row in rows:
        area = row.admin2 if filters.detailed else row.admin1
        if area is not None:
            partners[area.pk], people[area.pk] = row.partners, row.people
    withheld = lambda value: isinstance(value, Withheld)  # noqa: E731 - one test, three maps
    severities = {row["target"]: row["severity"] for row in severity_rows}
    rates = {
        area: rate
        for area, value in people.items()
        if (rate := per_head(value, (population or {}).get(area))) is not None
    }
    per_head_map = (
        [
            MapFigure(
                "map-per-head",
                counts_map(
                    base,
                    _("People reached per 10,000 inhabitants"),
                    rates,
                    unit=_("People per 10,000 inhabitants"),
                    write=write_rate,
                ),
                _("People reached by area against its population; no data where it is unknown."),
            )
        ]
        if rates
        else []
    )
    return _sharing(
        [
            MapFigure(
                "map-partners",
                counts_map(
                    base,
                    _("Partners present"),
                    partners,
                    unit=_("Organisations"),
                    withheld=withheld,
                ),
                _("Partners present by area (3W): organisations with validated activities."),
            ),
            MapFigure(
                "map-people",
                counts_map(base, _("People reached"), people, unit=_("People"), withheld=withheld),
                _("People reached by area."),
            ),
            *per_head_map,
            MapFigure(
                "map-severity",
                severity_map(base, _("Highest severity"), severities, gap_ids),
                _("Highest severity of needs found by area, from published assessments."),
            ),
        ]
    )


def _sharing(figures: list[MapFigure]) -> list[MapFigure]:
    """The maps of one page on the same areas, the first holding the shapes they share."""
    if len(figures) < 2:
        return figures
    return [
        dataclasses.replace(figure, shared="define" if index == 0 else "use")
        for index, figure in enumerate(figures)
    ]


def gap_area_ids(gap_rows: list[dict], base: Basemap | None) -> set[int]:
    """The drawn areas that are gaps: a gap's own area, or every drawn area inside it when
    the finding was for a larger area."""
    if base is None:
        return set()
    targets = {row["area"].path for row in gap_rows}
    return {item.area_id for item in base.shapes if not targets.isdisjoint(_paths_up(item))}


def _paths_up(item: Shape) -> list[str]:
    """The paths of the area and of each area holding it: "/A/B/" gives "/A/" and "/A/B/"."""
    codes = item.area_path.strip("/").split("/")
    return ["/" + "/".join(codes[: depth + 1]) + "/" for depth in range(len(codes))]


def gaps_map(filters, severity_rows, gap_rows) -> list[MapFigure]:
    """The gaps tab's map: by admin2, the highest severity with the gaps of its rules."""
    base = basemap(2, filters.area.path if filters.area else "")
    if base is None:
        return []
    severities = {row["target"]: row["severity"] for row in severity_rows}
    return [
        MapFigure(
            "map-gaps",
            severity_map(base, _("Gaps"), severities, gap_area_ids(gap_rows, base)),
            _("Highest severity found by admin2 area, the gaps of these rules hatched."),
        )
    ]


def overlaps_map(filters, places: list[tuple[int, int, int]]) -> list[MapFigure]:
    """The overlaps tab's map: by admin2, the months of activities reported there by two or
    more implementers (an overlap reported for a whole admin1 area is in the list only)."""
    base = basemap(2, filters.area.path if filters.area else "")
    if base is None:
        return []
    paths = {pk: area.path for pk, area in areas_by_id(a for _x, a, _n in places).items()}
    # Every area drawn has its count: no overlap there is a known zero.
    months: dict[int, int] = {item.area_id: 0 for item in base.shapes}
    for _activity, area, count in places:
        for item in base.shapes:
            if paths.get(area, "").startswith(item.area_path):
                months[item.area_id] += count
                break
    return [
        MapFigure(
            "map-overlaps",
            counts_map(
                base,
                _("Overlaps"),
                months,
                unit=_("Months of overlapping activities"),
                none=_("No overlap"),
            ),
            _(
                "Months in which two or more organisations reported the same activity in the "
                "area; an overlap reported for a whole admin1 area is in the list only."
            ),
        )
    ]


def presence_map(filters, rows, year: int) -> MapFigure | None:
    """The home page's map: partners present by admin1 area over the year, as the public
    may see them."""
    from partners.disclosure import Withheld

    base = basemap(1)
    if base is None:
        return None
    partners = {row.admin1.pk: row.partners for row in rows if row.admin1 is not None}
    chart = counts_map(
        base,
        _("Where partners work in %(year)s") % {"year": year},
        partners,
        unit=_("Organisations"),
        withheld=lambda value: isinstance(value, Withheld),
    )
    return MapFigure(
        "map-presence",
        chart,
        _(
            "Organisations with validated activities in each admin1 area, as the dashboard "
            "counts them."
        ),
    )


# --- the bulletin's maps ----------------------------------------------------------------------


def frozen_basemap() -> dict | None:
    """The admin1 areas as drawn now, as JSON a bulletin keeps with its figures: a published
    bulletin's maps keep their shapes when the boundaries are loaded again."""
    base = basemap(1)
    if base is None:
        return None
    return {
        "width": base.width,
        "height": base.height,
        "border": base.border,
        "parents": base.parents,
        "scale_length": base.scale_length,
        "scale_km": base.scale_km,
        "shapes": [
            {
                "pcode": item.pcode,
                "name_en": item.name_en,
                "name_ar": item.name_ar,
                "path": item.path,
                "x": item.label_x,
                "y": item.label_y,
                "room": item.room,
            }
            for item in base.shapes
        ],
    }


def thawed_basemap(frozen: dict) -> Basemap:
    """A kept basemap drawn again, each area's id its place in the list."""
    shapes = tuple(
        Shape(
            index,
            item["pcode"],
            item["name_en"],
            item["name_ar"],
            "",
            item["path"],
            item["x"],
            item["y"],
            item["room"],
        )
        for index, item in enumerate(frozen["shapes"])
    )
    return Basemap(
        frozen["width"],
        frozen["height"],
        shapes,
        frozen["border"],
        frozen.get("parents", ""),
        frozen["scale_length"],
        frozen["scale_km"],
    )


def bulletin_maps(
    frozen: dict, people: dict[str, object], severities: dict[str, int], gaps: set[str]
) -> list[MapFigure]:
    """The bulletin's first-page maps from its snapshot, figures by p-code: people reached
    by admin1 area, and the highest severity with the gaps hatched."""
    from partners.disclosure import Withheld

    base = thawed_basemap(frozen)
    index = {item.pcode: item.area_id for item in base.shapes}

    def by_id(figures):
        return {index[pcode]: value for pcode, value in figures.items() if pcode in index}

    return [
        MapFigure(
            "map-bulletin-people",
            counts_map(
                base,
                _("People reached"),
                by_id(people),
                unit=_("People"),
                withheld=lambda value: isinstance(value, Withheld),
            ),
            _("People reached by admin1 area in the bulletin's months."),
        ),
        MapFigure(
            "map-bulletin-gaps",
            severity_map(
                base,
                _("Severity and gaps"),
                by_id(severities),
                {index[pcode] for pcode in gaps if pcode in index},
            ),
            _(
                "Highest severity found by public assessments in these months; hatched, the "
                "gaps: severe needs with no partner serving them lately."
            ),
        ),
    ]


# --- health facilities ------------------------------------------------------------------------

# Each status a colour of the Okabe-Ito palette and a shape of its own, so that it reads
# without telling colours apart: a circle fully, a triangle partially, a square not
# functioning, a hollow circle for no recent data.
STATUS_MARKS = {
    "fully": ("#0072b2", "circle"),
    "partially": ("#e69f00", "triangle"),
    "not": ("#d55e00", "square"),
    "none": ("#ffffff", "hollow"),
}
MARK_SIZE = 7
LAND_FILL = "#eef1f4"


@dataclass(frozen=True)
class Point:
    longitude: float
    latitude: float
    status: str  # a key of STATUS_MARKS
    title: str


def points_svg(base: Basemap, points: list[Point], *, labelled_by: str) -> SafeString:
    """The areas in a light fill with the points over them, each marked by its status."""
    chart = Choropleth(base, "", fills={item.area_id: LAND_FILL for item in base.shapes})
    for item in base.shapes:
        chart.titles[item.area_id] = _name(item)
    drawn = str(svg(chart, labelled_by=labelled_by))
    marks = "".join(_mark(base, point) for point in points)
    return mark_safe(drawn.replace("</svg>", f"<g>{marks}</g></svg>"))


def _mark(base: Basemap, point: Point) -> str:
    x, y = base.project(point.longitude, point.latitude)
    fill, shape = STATUS_MARKS[point.status]
    size = MARK_SIZE
    title = f"<title>{escape(point.title)}</title>"
    stroke = 'stroke="#000000" stroke-width="1.2"'
    if shape == "triangle":
        return (
            f'<path d="M{x:.1f} {y - size:.1f}l{size} {size * 1.7:.1f}h{-2 * size}z"'
            f' fill="{fill}" {stroke}>{title}</path>'
        )
    if shape == "square":
        return (
            f'<rect x="{x - size * 0.85:.1f}" y="{y - size * 0.85:.1f}" width="{size * 1.7:.1f}"'
            f' height="{size * 1.7:.1f}" fill="{fill}" {stroke}>{title}</rect>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size}" fill="{fill}" {stroke}>{title}</circle>'


def status_legend(labels: dict[str, str]) -> SafeString:
    """The points' legend: each status's mark and its words."""
    items = []
    for status, (fill, shape) in STATUS_MARKS.items():
        mark = {
            "triangle": f'<path d="M7 1L13 13H1z" fill="{fill}" stroke="#000000"/>',
            "square": f'<rect x="2" y="2" width="10" height="10" fill="{fill}" stroke="#000000"/>',
        }.get(shape, f'<circle cx="7" cy="7" r="5.5" fill="{fill}" stroke="#000000"/>')
        items.append(
            f'<li><svg class="legend-key" viewBox="0 0 14 14" aria-hidden="true">{mark}</svg>'
            f"{escape(labels[status])}</li>"
        )
    return mark_safe(f'<ul class="chart-legend map-legend">{"".join(items)}</ul>')


@dataclass(frozen=True)
class PointsFigure:
    """A map of facilities as points, shown by ``analysis/_map.html`` as a ``MapFigure``."""

    slug: str
    title: str
    caption: str
    base: Basemap
    points: tuple[Point, ...]
    labels: dict
    note: str = ""

    def svg(self) -> SafeString:
        return points_svg(self.base, list(self.points), labelled_by=f"{self.slug}-caption")

    def legend(self) -> SafeString:
        return status_legend(self.labels)


def facility_maps(filters, figures, one_by_one: bool, labels: dict) -> list:
    """The facilities tab's maps: the share of facilities functioning by admin1 area for
    everyone, and each facility as a point for those who see them one by one (up to
    ``POINTS_DRAWN``: beyond, the tab asks for an area first)."""
    from analysis.facilities import POINTS_DRAWN, located

    found = []
    admin1 = basemap(1, filters.area.path if filters.area and filters.area.level <= 1 else "")
    if admin1 is not None:
        shares = {
            row.key.pk: row.percent_functioning
            for row in figures.by_admin1
            if row.total and row.percent_functioning is not None
        }
        chart = counts_map(
            admin1,
            _("Facilities functioning"),
            shares,
            unit=_("Per cent of the facilities functioning, fully or partially"),
            write=lambda value: f"{grouped(value)}%",
            none=_("None functioning"),
        )
        found.append(
            MapFigure(
                "map-facilities-share",
                chart,
                _(
                    "The share of each admin1 area's facilities functioning at the end of the "
                    "range."
                ),
            )
        )
    level = 2 if filters.detailed else 1
    base = basemap(level, filters.area.path if filters.area else "")
    if one_by_one and base is not None and len(figures.current) <= POINTS_DRAWN:
        points = tuple(
            Point(
                float(row["longitude"]),
                float(row["latitude"]),
                figures.current[row["pk"]],
                f"{_facility_name(row)} ({row['code']}): {labels[figures.current[row['pk']]]}",
            )
            for row in located(figures.current)
        )
        found.append(
            PointsFigure(
                "map-facilities",
                _("Health facilities by status"),
                _("Each facility with coordinates, marked by its status at the end of the range."),
                base,
                points,
                labels,
            )
        )
    return found


def _facility_name(row: dict) -> str:
    return (row["name_ar"] or row["name_en"]) if wants_arabic() else row["name_en"]


def attacks_map(filters, counts) -> list[MapFigure]:
    """Verified attacks on health care by admin1 area."""
    area = filters.area
    while area is not None and area.level > 1:
        area = area.parent
    base = basemap(1, area.path if area is not None and area.level == 1 else "")
    if base is None:
        return []
    incidents = {item.area_id: 0 for item in base.shapes}
    for admin1, totals in counts.by_admin1():
        if admin1.pk in incidents:
            incidents[admin1.pk] = totals["incidents"]
    chart = counts_map(
        base, _("Attacks on health care"), incidents, unit=_("Incidents"), none=_("None verified")
    )
    return [
        MapFigure(
            "map-attacks",
            chart,
            _("Verified attacks on health care by admin1 area over these months."),
        )
    ]


def funding_map(rows) -> list[MapFigure]:
    """The funding gap by admin1 area (``analysis.tables.funding_tables``' rows; a part the
    public may not see in grey), in millions of US dollars."""
    from partners.disclosure import Withheld

    base = basemap(1)
    if base is None:
        return []
    gaps = {row.key.pk: row.gap for row in rows if row.key is not None}
    chart = counts_map(
        base,
        _("Funding gap"),
        gaps,
        unit=_("US$ million"),
        write=_millions,
        withheld=lambda value: isinstance(value, Withheld),
        none=_("Fully funded"),
    )
    return [
        MapFigure(
            "map-funding",
            chart,
            _(
                "The funding still missing by admin1 area, through the projects' budget "
                "shares; the table gives every figure."
            ),
        )
    ]


def _millions(value) -> str:
    return number_format(value / 1_000_000, 1, use_l10n=True)


# Coverage's classes: fixed, so that a colour means the same share of the target on every
# map and in every range of months.
COVERAGE_CLASSES = (0, 25, 50, 75, 100)


def _coverage_class_text(index: int) -> str:
    lowest = COVERAGE_CLASSES[index]
    if index == len(COVERAGE_CLASSES) - 1:
        return _("%(lowest)s%% or more") % {"lowest": lowest}
    highest = COVERAGE_CLASSES[index + 1] - 1
    return _("%(lowest)s to %(highest)s%%") % {"lowest": lowest, "highest": highest}


def coverage_choropleth(base: Basemap, title: str, rows) -> Choropleth:
    """Areas coloured by coverage (``analysis.coverage.CoverageRow``s) on a sequential scale
    of fixed classes; an area with no target grey, apart from the scale."""
    from partners.disclosure import Withheld

    found = {row.area.pk: row.percent for row in rows}
    result = Choropleth(
        base, title, unit=_("People reached as a share of people targeted, per cent")
    )
    used = set()
    for item in base.shapes:
        value = found.get(item.area_id)
        if isinstance(value, int):
            index = max(i for i, lowest in enumerate(COVERAGE_CLASSES) if value >= lowest)
            used.add(index)
            result.fills[item.area_id] = BLUES[index]
            result.labels[item.area_id] = f"{value}%"
            result.titles[item.area_id] = f"{_name(item)}: {value}%"
        elif isinstance(value, Withheld):
            result.fills[item.area_id] = WITHHELD_FILL
            result.titles[item.area_id] = f"{_name(item)}: {value}"
        else:
            result.fills[item.area_id] = NO_DATA_FILL
            no_target = _("no target")
            result.titles[item.area_id] = f"{_name(item)}: {no_target}"
    result.legend = [
        LegendItem(BLUES[index], _coverage_class_text(index)) for index in sorted(used)
    ]
    _add_missing(result, _("No target"))
    return result


def coverage_map(rows, level: int = 1) -> list[MapFigure]:
    """Coverage against targets by admin1 (or admin2) area."""
    base = basemap(level)
    if base is None:
        return []
    chart = coverage_choropleth(base, _("Coverage of the people targeted"), rows)
    return [
        MapFigure(
            f"map-coverage-{level}",
            chart,
            _(
                "People reached as a share of the people targeted in each area; the table "
                "gives every figure."
            ),
        )
    ]
