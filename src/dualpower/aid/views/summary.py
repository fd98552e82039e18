"""The network's public summary and the CSV export of what a person may see."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from dualpower.aid import crypto, selectors, stats
from dualpower.aid.views._common import (
    charts_for,
)
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def summary(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "aid.view_summary", community)
    data = stats.public_summary(community)
    return render(request, "aid/summary.html", {"data": data, "charts": charts_for(data)})


EXPORT_COLUMNS = (
    "code",
    "category",
    "description",
    "urgency_name",
    "quantity",
    "unit",
    "quantity_committed",
    "quantity_delivered",
    "neighbourhood",
    "languages",
    "status",
    "created_at",
)


@require_http_methods(["GET", "HEAD"])
@with_community
def export_csv(request: HttpRequest, community: Community) -> HttpResponse:
    """The requests this person may see, with exactly the fields they may see (request_view)."""
    check(request, "aid.view_requests", community)
    me = membership_for(request.user, community)
    qs = selectors.requests_visible(community=community, membership=me).select_related(
        "community", "requester", "taken_by"
    )
    views = selectors.request_views(qs, me, community=community)
    private = [f"private_{k}" for k in crypto.SENSITIVE_FIELDS]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="aid-{community.slug}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    any_private = any("details" in v for v in views)
    writer.writerow([*EXPORT_COLUMNS, *(private if any_private else [])])
    for v in views:
        row = [", ".join(v[c]) if isinstance(v[c], list) else v[c] for c in EXPORT_COLUMNS]
        if any_private:
            details = v.get("details") or {}
            row += [details.get(k, "") for k in crypto.SENSITIVE_FIELDS]
        writer.writerow([_safe_cell(c) for c in row])
    return response


def _safe_cell(value: Any) -> str:
    """No spreadsheet formulas from what people typed (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
