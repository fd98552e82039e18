"""Garden logs in and out as CSV in farmOS's layout, so a farm keeping its records in farmOS and a
community using dualpower can pass logs both ways.

The columns are those of farmOS's CSV log import (one quantity per row): ``name``, ``timestamp``,
``status``, ``type`` (the log type: seeding, transplanting, input, observation, harvest),
``assets`` (the plant asset: a planting, "Tomato in Bed 1 (2026-04-01)", or a crop's name),
``notes``, ``categories``, ``quantity measure``, ``quantity value``, ``quantity units``,
``quantity label`` and ``lot number``. A food rescue pickup (no farmOS type of its own) goes out
as a harvest in the category "food rescue", and comes back as a rescue pickup.

The sample rows in the tests and docs are our own. An import is all or nothing: the first row
that cannot be read stops it with a sentence naming its line, and nothing is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.core.food import forecast
from dualpower.errors import InvalidInput
from dualpower.food.models.growing import Crop, Log, Planting, Unit
from dualpower.food.services.growing_plantings import log_create
from dualpower.members.models import Membership

COLUMNS = (
    "name",
    "timestamp",
    "status",
    "type",
    "assets",
    "notes",
    "categories",
    "quantity measure",
    "quantity value",
    "quantity units",
    "quantity label",
    "lot number",
)
RESCUE_CATEGORY = "food rescue"
MAX_ROWS = 5000
MAX_BYTES = 2_000_000
POUND = Decimal("0.45359237")

# farmOS unit terms (lower case) → our unit, and the factor to multiply the value by.
UNITS: dict[str, tuple[str, Decimal]] = {
    **{word: (Unit.KG, Decimal(1)) for word in ("kg", "kgs", "kilogram", "kilograms")},
    **{word: (Unit.G, Decimal(1)) for word in ("g", "gram", "grams")},
    **{word: (Unit.KG, POUND) for word in ("lb", "lbs", "pound", "pounds")},
    **{word: (Unit.BUNCH, Decimal(1)) for word in ("bunch", "bunches")},
    **{
        word: (Unit.EACH, Decimal(1))
        for word in ("each", "unit", "units", "piece", "pieces", "count", "heads")
    },
    **{word: (Unit.L, Decimal(1)) for word in ("l", "liter", "liters", "litre", "litres")},
    **{word: (Unit.PACKET, Decimal(1)) for word in ("packet", "packets")},
}
MEASURES: dict[str, str] = {Unit.KG: "weight", Unit.G: "weight", Unit.L: "volume"}


def planting_label(planting: Planting) -> str:
    """The plant asset's name in the file: "Tomato in Bed 1 (2026-04-01)"."""
    return f"{planting.crop.name} in {planting.plot.name} ({planting.seeding_date.isoformat()})"


def _number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def logs_to_csv(logs: list[Log]) -> str:
    """The logs as farmOS CSV (logs read with their crop and planting's plot)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for log in logs:
        is_rescue = log.kind == Log.Kind.RESCUE
        asset = planting_label(log.planting) if log.planting else (log.crop.name if log.crop else "")
        quantity = log.quantity
        writer.writerow(
            [
                _safe(log.name),
                timezone.localtime(log.at).isoformat(timespec="seconds"),
                log.status,
                Log.Kind.HARVEST if is_rescue else log.kind,
                _safe(asset),
                _safe(log.notes if not is_rescue else "\n".join(p for p in (log.source, log.notes) if p)),
                RESCUE_CATEGORY if is_rescue else "",
                MEASURES.get(log.unit, "count") if quantity is not None else "",
                _number(quantity) if quantity is not None else "",
                log.unit if quantity is not None else "",
                "",
                _safe(log.lot),
            ]
        )
    return out.getvalue()


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (=, +, -, @ at the start)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@dataclass(frozen=True)
class ImportResult:
    created: int
    skipped_kinds: int  # farmOS log types dualpower does not keep (activity, maintenance...)


def _refuse(line: int, sentence: str) -> InvalidInput:
    return InvalidInput(_("Line %(line)d: %(problem)s") % {"line": line, "problem": sentence}, field="file")


def _when(text: str, line: int) -> dt.datetime:
    text = text.strip()
    if text.isdigit():
        return dt.datetime.fromtimestamp(int(text), tz=dt.UTC)
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise _refuse(
            line, _("the timestamp must be a date such as 2026-06-01 or 2026-06-01T09:30+02:00.")
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment if len(text) > 10 else moment.replace(hour=12))
    return moment


@transaction.atomic
def logs_import(*, community: Community, text: str, by: Membership) -> ImportResult:
    """Read farmOS CSV ``text`` and add its logs, all or none."""
    if len(text) > MAX_BYTES:
        raise InvalidInput(_("The file is too large: import at most 2 MB at a time."), field="file")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    missing = {"name", "timestamp", "type"} - headers
    if missing:
        raise InvalidInput(
            _("This is not a farmOS log file: the columns %(missing)s are missing.")
            % {"missing": ", ".join(sorted(missing))},
            field="file",
        )
    crops = {c.name.casefold(): c for c in Crop.objects.filter(community=community)}
    plantings = {
        planting_label(p).casefold(): p
        for p in Planting.objects.filter(community=community).select_related("crop", "plot")
    }
    created = skipped = 0
    for index, raw in enumerate(reader):
        line = index + 2  # the header is line 1
        if index >= MAX_ROWS:
            raise _refuse(line, _("import at most 5,000 logs at a time."))
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if isinstance(v, str)}
        kind = row.get("type", "").lower()
        if RESCUE_CATEGORY in row.get("categories", "").lower():
            kind = Log.Kind.RESCUE
        if kind not in Log.Kind.values:
            skipped += 1
            continue
        status = row.get("status", "").lower() or Log.Status.DONE
        if status not in Log.Status.values:
            raise _refuse(line, _("the status must be pending, done or abandoned."))
        asset = row.get("assets", "").casefold()
        planting = plantings.get(asset)
        crop = planting.crop if planting else crops.get(asset)
        quantity: Decimal | None = None
        unit = ""
        if row.get("quantity value"):
            units = row.get("quantity units", "").lower() or (crop.unit if crop else "")
            if units not in UNITS:
                raise _refuse(
                    line,
                    _("the unit “%(unit)s” is not one dualpower counts in.")
                    % {"unit": row["quantity units"]},
                )
            unit, factor = UNITS[units]
            try:
                quantity = forecast.quantize(Decimal(row["quantity value"]) * factor)
            except InvalidOperation:
                raise _refuse(line, _("the quantity must be a number such as 12.5.")) from None
        source = ""
        notes = row.get("notes", "")
        if kind == Log.Kind.RESCUE and notes:
            source, _sep, notes = notes.partition("\n")
        try:
            log_create(
                community=community,
                kind=kind,
                by=by,
                at=_when(row.get("timestamp", ""), line),
                status=status,
                planting=planting,
                crop=crop,
                quantity=quantity,
                unit=unit,
                lot=row.get("lot number", ""),
                name=row.get("name", ""),
                notes=notes,
                source=source[:120],
            )
        except InvalidInput as error:
            raise _refuse(line, error.detail) from None
        created += 1
    audit_record(
        community=community,
        actor=by,
        action="food.logs_import",
        data={"created": created, "skipped": skipped},
    )
    return ImportResult(created=created, skipped_kinds=skipped)
