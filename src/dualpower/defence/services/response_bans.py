"""The ban list against spam reports, and the rate limit on intake (the Llámenos hotline's answer to
spam attacks: a flood of false reports wears out the verifiers and hides the real ones).

Coordinators ban a reporter: a member account, or a hotline caller's number, which the node keeps
only as a keyed hash (response_sealing.caller_hashes: the aid key, kept outside the database). A
banned reporter's report, and one over the rate limit, is refused with the same neutral sentence
(``ReportRefused``): it says neither "you are banned" nor how many reports are allowed, so a spammer
learns nothing to work around. Bans name nobody in the audit log (every member reads it).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.defence.models.response import Incident, ReporterBan
from dualpower.defence.services.response_sealing import caller_digits, caller_hashes
from dualpower.errors import Conflict, InvalidInput, TooManyRequests
from dualpower.members.models import Membership

# Reports one member may file in an hour for themselves (without a caller's number), and reports
# one hotline caller's number may bring in an hour. Enough for a real emergency told twice.
MEMBER_PER_HOUR = 10
CALLER_PER_HOUR = 3
RATE_WINDOW = dt.timedelta(hours=1)


class ReportRefused(TooManyRequests):
    """Intake refused a report: a banned reporter or too many reports. One sentence for both."""

    code = "report_refused"
    default_detail = gettext_lazy(
        "This report could not be taken now. If someone is in danger, phone the people you know in "
        "the defence group."
    )


def clean_caller(value: object, *, required: bool = False) -> str:
    """A caller's phone number, as its digits (6 to 15); "" when none was given."""
    number = clean_text(value, field="caller", label=_("The caller's number"), limit=40, required=required)
    if not number:
        return ""
    digits = caller_digits(number)
    if not all(ch.isdigit() or ch in "+ -()." for ch in number) or not 6 <= len(digits) <= 15:
        raise InvalidInput(
            _("A phone number has 6 to 15 digits (spaces and + ( ) - allowed)."), field="caller"
        )
    return digits


def intake_check(*, community: Community, by: Membership, caller: str = "", now: dt.datetime) -> str:
    """Refuse a report from a banned reporter or over the rate limit (``ReportRefused``); otherwise
    the keyed hash of the caller's number to keep with the incident ("" without one)."""
    hashes = caller_hashes(caller) if caller else []
    bans = ReporterBan.objects.filter(community=community)
    if bans.filter(membership=by).exists() or (hashes and bans.filter(caller_hash__in=hashes).exists()):
        raise ReportRefused()
    recent = Incident.objects.filter(community=community, created_at__gte=now - RATE_WINDOW)
    if hashes:
        if recent.filter(caller_hash__in=hashes).count() >= CALLER_PER_HOUR:
            raise ReportRefused()
    elif recent.filter(reported_by=by, caller_hash="").count() >= MEMBER_PER_HOUR:
        raise ReportRefused()
    return hashes[0] if hashes else ""


def _banned(community: Community, membership: Membership | None, caller_hash: str) -> ReporterBan:
    try:
        with transaction.atomic():
            return ReporterBan.objects.create(
                community=community, membership=membership, caller_hash=caller_hash
            )
    except IntegrityError:
        raise Conflict(_("This reporter is banned already.")) from None


@transaction.atomic
def reporter_ban(
    *,
    community: Community,
    by: Membership,
    membership: Membership | None = None,
    number: str = "",
    incident_code: str = "",
) -> ReporterBan:
    """Ban one reporter: a member, a caller's number, or whoever brought in the report ``incident_code``
    (its caller's number when a hotline volunteer typed one, else the member who filed it)."""
    number = clean_caller(number)
    code = clean_text(incident_code, field="code", label=_("The report's code"), limit=12).upper()
    if sum(bool(x) for x in (membership, number, code)) != 1:
        raise InvalidInput(_("Choose one: a member, a caller's number, or a report's code."), field="member")
    caller_hash = caller_hashes(number)[0] if number else ""
    if code:
        incident = Incident.objects.filter(community=community, code=code).first()
        if incident is None:
            raise InvalidInput(_("No report has that code (it may be forgotten already)."), field="code")
        caller_hash = incident.caller_hash
        membership = None if caller_hash else incident.reported_by
        if membership is None and not caller_hash:
            raise InvalidInput(_("Whoever filed that report is no longer a member."), field="code")
    if membership is not None:
        if membership.community_id != community.pk:
            raise InvalidInput(_("Choose a member of this community."), field="member")
        if membership.pk == by.pk:
            raise InvalidInput(_("You cannot ban yourself."), field="member")
    ban = _banned(community, membership, caller_hash)
    audit_record(community=community, actor=by, action="defence.ban", target=None)
    return ban


@transaction.atomic
def reporter_unban(*, ban: ReporterBan, by: Membership) -> None:
    """Lift a ban: the reporter's reports are taken again."""
    community = ban.community
    ReporterBan.objects.filter(pk=ban.pk).delete()
    audit_record(community=community, actor=by, action="defence.unban", target=None)
