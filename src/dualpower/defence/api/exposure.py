"""API for "What a seizure would reveal": the same report as the page, as data.

GET /communities/{slug}/defence/exposure — every registered holding with its count, whether it is
sealed and with which key, what a server holder reads and when it is erased; where each key is.
The duress password is set on the page only (it asks for the person's own password).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from dualpower.community.selectors import community_get
from dualpower.defence.selectors.exposure import exposure_report
from dualpower.web.permissions import check

router = Router(tags=["community defence"])


class HoldingOut(Schema):
    what: str
    count: int
    sealed_with: str | None
    readable_by_server_holder: str
    erased_when: str


class SectionOut(Schema):
    name: str
    title: str
    holdings: list[HoldingOut]


class KeyOut(Schema):
    name: str
    where: str
    on_this_disk: bool


class ExposureOut(Schema):
    at: str
    sections: list[SectionOut]
    keys: list[KeyOut]
    erased_rows_overwritten: bool
    database: str


@router.get("/communities/{slug}/defence/exposure", response=ExposureOut)
def exposure(request: HttpRequest, slug: str) -> dict[str, Any]:
    community = community_get(slug=slug)
    check(request, "defence.view_exposure", community)
    report = exposure_report(community=community)
    return {
        "at": report.at.isoformat(),
        "sections": [
            {
                "name": s.name,
                "title": str(s.title),
                "holdings": [
                    {
                        "what": str(h.what),
                        "count": h.count,
                        "sealed_with": h.sealed_with,
                        "readable_by_server_holder": str(h.readable_by_server_holder),
                        "erased_when": str(h.erased_when),
                    }
                    for h in s.holdings
                ],
            }
            for s in report.sections
        ],
        "keys": [
            {"name": k.name, "where": str(k.where), "on_this_disk": k.on_this_disk} for k in report.keys
        ],
        "erased_rows_overwritten": report.erased_rows_overwritten,
        "database": str(report.database),
    }
