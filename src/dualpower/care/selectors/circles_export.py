"""A circle's export, for whoever may take it away: the person and whoever runs it get the whole
circle (its pod, help calendar with each need's details, private notes, unsealed for them); an
active helper of an open circle gets only the needs they hold. Who may ask is ``care.export_circle``
(rules.py); what is shown follows the same reads as the circle's page (circles.py)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.utils.translation import gettext as _

from dualpower.care.models.circles import Circle
from dualpower.care.selectors.circles import NeedView, calendar, helpers_of, notes_of
from dualpower.members.models import Membership
from dualpower.spreadsheet import csv_writer


def _when(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_needs(*, circle: Circle, membership: Membership | None, runs: bool) -> list[NeedView]:
    """The needs the export holds: all of them for who runs the circle; a helper's own only."""
    rows = calendar(circle=circle, membership=membership, runs=runs)
    return rows if runs else [row for row in rows if row.mine]


def _need(row: NeedView) -> dict[str, Any]:
    need = row.need
    return {
        "kind": need.kind,
        "starts_at": _when(need.starts_at),
        "ends_at": _when(need.ends_at),
        "description": need.label,
        "details": row.details or "",
        "taken_by": row.taker,
        "taken_at": _when(need.taken_at),
        "done_at": _when(need.done_at),
    }


def circle_export(*, circle: Circle, membership: Membership | None, runs: bool) -> dict[str, Any]:
    """The circle as one JSON-ready document, as ``membership`` may take it away."""
    out: dict[str, Any] = {
        "circle": {"id": circle.pk, "title": circle.title, "kind": circle.kind, "status": circle.status},
        "needs": [_need(row) for row in export_needs(circle=circle, membership=membership, runs=runs)],
    }
    if not runs:
        return out
    out["circle"].update(
        {
            "for": circle.person.display_name if circle.person is not None else circle.person_code,
            "run_by": circle.keeper.display_name if circle.keeper is not None else None,
            "opened_at": _when(circle.opened_at),
            "closed_at": _when(circle.closed_at),
        }
    )
    out["helpers"] = [
        {"name": h.membership.display_name, "status": h.status, "sees": h.sees}
        for h in helpers_of(circle=circle)
    ]
    out["notes"] = [{"author": n.author, "at": _when(n.at), "body": n.body} for n in notes_of(circle=circle)]
    return out


def calendar_csv(*, circle: Circle, membership: Membership | None, runs: bool) -> str:
    """The help calendar as CSV (one row a need), the same needs as the JSON export."""
    stream = io.StringIO()
    writer = csv_writer(stream)
    writer.writerow(
        [_("Kind"), _("Starts"), _("Ends"), _("Short description"), _("Details"), _("Taken by"), _("Done")]
    )
    for row in export_needs(circle=circle, membership=membership, runs=runs):
        need = row.need
        writer.writerow(
            [
                need.get_kind_display(),
                _when(need.starts_at),
                _when(need.ends_at),
                need.label,
                row.details or "",
                row.taker or "",
                _when(need.done_at) or "",
            ]
        )
    return stream.getvalue()
