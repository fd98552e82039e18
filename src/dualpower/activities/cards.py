"""The activity cards and the running series of the list page as HTML, kept per process.

A page of the list showed twenty cards, each rendered through its template on every visit: a
link, two dates formatted in the visitor's language and time zone, a plural sentence. That cost
more CPU than the rest of the page. Each card's HTML is kept under everything it is made from
(the language, the time zone, the addresses' prefix, the community, and the activity's own fields
as just read: its series' title and place, its start, whether it is cancelled, its free places and
the label of the visitor's place), so nothing needs invalidating: a card whose activity changed,
or another visitor's place in it, gives another key. The list of running series is kept alike,
under each series' id, title, place and how it repeats. Nothing read from the database is kept
beyond the request, only the HTML made from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dualpower.activities.models import Activity, Series
from dualpower.community.models import Community

CARD = "activities/partials/_activity_card.html"
RUNNING = "activities/partials/_running_series.html"
_KEPT_MAX = 5_000  # bounded: a busy node's coming activities, in two languages
_kept: dict[tuple[Any, ...], str] = {}


@receiver(setting_changed)
def _forget(**_kwargs: Any) -> None:
    # Tests change the templates, languages and time zone: nothing kept may outlive them.
    _kept.clear()


def _shared(community: Community) -> tuple[Any, ...]:
    return (get_language(), timezone.get_current_timezone_name(), get_script_prefix(), community.slug)


def _keep(key: tuple[Any, ...], template: str, context: dict[str, Any]) -> str:
    html = _kept.get(key)
    if html is None:
        if len(_kept) >= _KEPT_MAX:
            _kept.clear()
        html = _kept[key] = get_template(template).render(context)
    return html


def running_html(series: list[Series], *, community: Community) -> SafeString:
    """``RUNNING``: the list of ``series`` (as ``selectors.series_running`` gives them), rendered
    once per key (see the module's text)."""
    key = (RUNNING, *_shared(community), *((s.pk, s.title, s.place, s.repeat) for s in series))
    html = _keep(key, RUNNING, {"series": series, "community": community})
    return mark_safe(html)  # noqa: S308  # rendered by our own template, escaped there


def cards_html(activities: Iterable[Activity], *, community: Community) -> SafeString:
    """``CARD`` of each activity (as ``selectors.upcoming_page`` gives its rows: with ``free`` and
    ``my_place``), one after the other, each rendered once per key (see the module's text)."""
    shared = _shared(community)
    parts = []
    for activity in activities:
        series = activity.series
        key = (
            *shared,
            activity.pk,
            series.title,
            series.place,
            activity.starts_at,
            activity.is_cancelled,
            activity.free,  # type: ignore[attr-defined]
            activity.my_place,  # type: ignore[attr-defined]
        )
        parts.append(_keep(key, CARD, {"activity": activity, "community": community}))
    return mark_safe("".join(parts))  # noqa: S308  # rendered by our own template, escaped there
