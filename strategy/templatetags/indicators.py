"""An indicator's figure and where it stands, written the same way on every page and PDF.

A row is either a ``strategy.progress.Measure`` or a bulletin snapshot's dictionary of the
same names; a bulletin published before indicator kinds existed holds counts only, under
``reached``. A figure the public may not see (``withheld``, ``partners.disclosure``) reads as
the reason instead.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django import template
from django.utils.formats import date_format, localize, number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partners.disclosure import Withheld
from strategy.models import IndicatorDirection, IndicatorKind, kind_rule
from strategy.progress import Status

register = template.Library()


@dataclass(frozen=True)
class Figure:
    kind: str
    value: object
    measured: bool
    percent: int | None
    status: str | None
    baseline: object
    target: object
    direction: str
    as_of: datetime.date | None
    earliest: datetime.date | None
    left_out: int
    withheld: str = ""

    @property
    def is_rate(self) -> bool:
        return self.kind == IndicatorKind.RATE


def _read(row, name: str, default=None):
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def _month(value) -> datetime.date | None:
    if isinstance(value, str) and value:
        return datetime.date.fromisoformat(value[:10])
    return value or None


def figure_of(row) -> Figure:
    value = _read(row, "value", _read(row, "reached"))
    return Figure(
        kind=_read(row, "kind") or IndicatorKind.COUNT,
        value=value,
        measured=_read(row, "measured", True),
        percent=_read(row, "percent"),
        status=_read(row, "status"),
        baseline=_read(row, "baseline"),
        target=_read(row, "target"),
        direction=_read(row, "direction") or IndicatorDirection.INCREASE,
        as_of=_month(_read(row, "as_of")),
        earliest=_month(_read(row, "earliest")),
        left_out=_read(row, "left_out") or 0,
        withheld=_read(row, "withheld") or "",
    )


def amount(value, kind: str) -> str:
    """A figure as read: "1.9 %" for a rate, "12,400" otherwise (localised)."""
    number = Decimal(str(value))
    if kind == IndicatorKind.RATE:
        return _("%(rate)s %%") % {
            "rate": number_format(number, 1, use_l10n=True, force_grouping=True)
        }
    places = 0 if number == number.to_integral_value() else 2
    return number_format(number, places, use_l10n=True, force_grouping=True)


@register.simple_tag
def indicator_value(row) -> str:
    """The figure, or why there is none."""
    figure = figure_of(row)
    if figure.withheld:
        return str(Withheld(figure.withheld))
    if not figure.measured:
        return _("Not measured")
    if figure.value is None:
        return _("No data")
    return amount(figure.value, figure.kind)


@register.simple_tag
def indicator_note(row) -> str:
    """What the reader needs beside the figure: its rule's name, its month, what it leaves out."""
    figure = figure_of(row)
    notes = [str(IndicatorKind(figure.kind).label).capitalize()]
    if not figure.measured:
        notes.append(_("its numerator and denominator are not chosen yet"))
    if figure.as_of:
        notes.append(
            _("as of %(month)s") % {"month": date_format(figure.as_of, "YEAR_MONTH_FORMAT")}
        )
        if figure.earliest and figure.earliest < figure.as_of:
            notes.append(
                _("some areas as of %(month)s")
                % {"month": date_format(figure.earliest, "YEAR_MONTH_FORMAT")}
            )
    if figure.left_out:
        notes.append(
            ngettext(
                "%(count)s area-month without a denominator left out",
                "%(count)s area-months without a denominator left out",
                figure.left_out,
            )
            % {"count": figure.left_out}
        )
    # Translators: between the notes beside an indicator's figure.
    return _("; ").join(notes)


@register.simple_tag
def indicator_status(row) -> str:
    """ "Met", "improving" or "off track", with the target it is measured against."""
    figure = figure_of(row)
    if figure.status is None or figure.target is None:
        return ""
    target = amount(figure.target, figure.kind)
    if figure.direction == IndicatorDirection.DECREASE:
        against = _("target %(target)s or less") % {"target": target}
    else:
        against = _("target %(target)s or more") % {"target": target}
    return _("%(status)s — %(against)s") % {
        "status": str(Status(figure.status).label).capitalize(),
        "against": against,
    }


@register.filter
def kind_rule_of(kind: str) -> str:
    return kind_rule(kind)


@register.filter
def shown_percent(row) -> int | None:
    """The share of the target as drawn on a bar: capped at 100."""
    percent = figure_of(row).percent
    return None if percent is None else max(0, min(int(percent), 100))


@register.simple_tag
def indicator_target(row) -> str:
    """The target as read beside the figure: "1.0 %" for a rate, "10,000" otherwise."""
    figure = figure_of(row)
    return amount(figure.target, figure.kind) if figure.target is not None else ""


# The two cells of an indicator's row, on the strategy page, the dashboard and the bulletins
# (``strategy/_indicator_figure.html`` and ``_indicator_progress.html`` call these): written in
# Python, as a template each cost a tenth of a dashboard request.


@register.simple_tag
def indicator_figure(row) -> SafeString:
    """The figure, or why there is none, and its note beneath."""
    return format_html(
        '<span class="indicator-value{}">{}</span><br>'
        '<span class="small text-body-secondary indicator-note">{}</span>',
        " figure-withheld" if _read(row, "withheld") else "",
        indicator_value(row),
        indicator_note(row),
    )


@register.simple_tag
def indicator_progress(row, code) -> SafeString:
    """A bar of the share of the target; else met, improving or off track; else why not."""
    percent, status = shown_percent(row), indicator_status(row)
    if percent is not None:
        share = localize(_read(row, "percent"))
        return format_html(
            '<progress class="indicator-progress" max="100" value="{}" aria-label="{}">{}%'
            '</progress> <span class="small indicator-share">{}%</span>',
            localize(percent),
            _("Progress of indicator %(code)s") % {"code": code},
            share,
            share,
        )
    if status:
        return format_html(
            '<span class="indicator-status status-{}">{}</span>', _read(row, "status"), status
        )
    # A bulletin's snapshot from before indicator kinds holds no "value": "No target", as ever.
    if _read(row, "value", "") is None:
        return SafeString('<span class="text-body-secondary small">—</span>')
    return format_html('<span class="text-body-secondary small">{}</span>', _("No target"))
