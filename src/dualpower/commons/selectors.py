"""Reads of the knowledge commons: one search over our guides and everything received, pages by
keyset (``before=`` the last id shown), a guide's history and the difference between versions.

Search is ``icontains`` on title and text (both databases; the title is indexed), filtered by
kind and language: a commons holds hundreds of guides, not millions, and each page reads at most
``PAGE + 1`` rows of each table.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from dualpower.commons.models import Guide, GuideVersion, ReceivedGuide
from dualpower.community.models import Community
from dualpower.errors import NotFound

PAGE = 20


@dataclass(frozen=True)
class Search:
    query: str = ""
    kind: str = ""
    language: str = ""

    @property
    def filters(self) -> dict[str, str]:
        return {k: v for k, v in (("q", self.query), ("kind", self.kind), ("language", self.language)) if v}


@dataclass(frozen=True)
class Page:
    rows: list[Any]
    next_before: int | None  # the ``before=`` of the next page, None on the last


def _matching(rows: QuerySet[Any], search: Search) -> QuerySet[Any]:
    if search.query:
        rows = rows.filter(Q(title__icontains=search.query) | Q(body__icontains=search.query))
    if search.kind:
        rows = rows.filter(kind=search.kind)
    if search.language:
        rows = rows.filter(language=search.language)
    return rows


def _page(rows: QuerySet[Any], before: int | None, size: int) -> Page:
    if before is not None:
        rows = rows.filter(pk__lt=before)
    found = list(rows.order_by("-pk")[: size + 1])
    more = len(found) > size
    found = found[:size]
    return Page(rows=found, next_before=found[-1].pk if more else None)


def guides_search(
    *, community: Community, search: Search, before: int | None = None, size: int = PAGE
) -> Page:
    """Our own guides matching ``search``, newest first."""
    rows = Guide.objects.filter(community=community).defer("body")
    return _page(_matching(rows, search), before, size)


def received_search(
    *, community: Community, search: Search, before: int | None = None, size: int = PAGE
) -> Page:
    """What other communities sent ``community`` matching ``search``, newest first."""
    rows = ReceivedGuide.objects.filter(community=community).defer("body")
    return _page(_matching(rows, search), before, size)


def guide_get(*, community: Community, pk: Any) -> Guide:
    found = Guide.objects.filter(community=community, pk=pk).select_related("community").first()
    if found is None:
        raise NotFound()
    return found


def guide_by_uuid(*, community: Community, uuid: Any) -> Guide | None:
    return Guide.objects.filter(community=community, uuid=uuid).select_related("community").first()


def received_get(*, community: Community, pk: Any) -> ReceivedGuide:
    found = ReceivedGuide.objects.filter(community=community, pk=pk).select_related("community").first()
    if found is None:
        raise NotFound()
    return found


def copies_of(*, community: Community, uri: str) -> list[Guide]:
    """Our copies of a received guide (so its page can link to them)."""
    return list(Guide.objects.filter(community=community, origin_uri=uri).order_by("pk"))


def versions_of(*, guide: Guide) -> list[GuideVersion]:
    """The guide's history, newest first, with who saved each version."""
    return list(guide.versions.select_related("by").defer("body").order_by("-number"))


def version_get(*, guide: Guide, number: Any) -> GuideVersion:
    found = guide.versions.filter(number=number).first() if str(number).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def guides_to_adopt(community: Community) -> list[tuple[int, str]]:
    """The proposal form's picker for ``commons.adopt``: our guides, with their latest version."""
    rows = Guide.objects.filter(community=community).order_by("title", "pk")[:500]
    return [(g.pk, f"{g.title} (v{g.version})") for g in rows]


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed"
    text: str


def diff(older: GuideVersion, newer: GuideVersion, *, context: int = 2) -> list[DiffLine | None]:
    """The lines that changed between two versions, with ``context`` unchanged lines around each
    change; ``None`` marks lines left out. Computed here, shown as a list (readable on a phone)."""
    a = [older.title, "", *older.body.splitlines()]
    b = [newer.title, "", *newer.body.splitlines()]
    out: list[DiffLine | None] = []
    for group in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_grouped_opcodes(context):
        if out:
            out.append(None)
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [DiffLine("same", line) for line in a[i1:i2]]
                continue
            if tag in ("replace", "delete"):
                out += [DiffLine("removed", line) for line in a[i1:i2]]
            if tag in ("replace", "insert"):
                out += [DiffLine("added", line) for line in b[j1:j2]]
    return out
