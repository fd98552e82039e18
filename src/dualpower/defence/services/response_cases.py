"""Eviction defence: cases by household code (landlord, case worker, court dates and their
outcomes), vigil and court-support shifts (an activities series before each date, whose sign-ups
activities reminds), and the know-your-rights pages the defence working group writes."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.activities import services as activities
from dualpower.clean import clean_choice, clean_datetime, clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.defence.models.response import CourtDate, EvictionCase, RightsPage
from dualpower.defence.services.response_incidents import household_code
from dualpower.defence.services.response_rights import LANGUAGES, rights_sync
from dualpower.defence.services.response_settings import settings_for
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text

SUPPORT_BEFORE = dt.timedelta(minutes=90)  # the vigil gathers before the hearing
REMIND_BEFORE = dt.timedelta(hours=24)  # the case worker is reminded a day before each court date


def _household(value: object) -> str:
    return household_code(value)


def _case_worker(community: Community, who: Membership | None) -> Membership | None:
    if who is not None and (who.community_id != community.pk or not who.is_active):
        raise InvalidInput(_("The case worker must be a member of this community."), field="case_worker")
    return who


@transaction.atomic
def case_open(
    *,
    community: Community,
    by: Membership,
    household: str,
    landlord: str,
    case_worker: Membership | None = None,
) -> EvictionCase:
    household = _household(household)
    landlord = clean_text(landlord, field="landlord", label=_("Landlord"), limit=120, required=True)
    try:
        with transaction.atomic():
            case = EvictionCase.objects.create(
                community=community,
                household=household,
                landlord=landlord,
                case_worker=_case_worker(community, case_worker),
            )
    except IntegrityError:
        raise Conflict(_("Household %(code)s already has an open case.") % {"code": household}) from None
    audit_record(community=community, actor=by, action="defence.case.open", target=case, summary=household)
    return case


@transaction.atomic
def case_update(
    *, case: EvictionCase, by: Membership, landlord: str | None = None, case_worker: Membership | None = None
) -> EvictionCase:
    if landlord is not None:
        case.landlord = clean_text(landlord, field="landlord", label=_("Landlord"), limit=120, required=True)
    case.case_worker = _case_worker(case.community, case_worker)
    case.save(update_fields=["landlord", "case_worker"])
    audit_record(
        community=case.community, actor=by, action="defence.case.update", target=case, summary=case.household
    )
    return case


@transaction.atomic
def case_close(
    *, case: EvictionCase, by: Membership, status: str, now: dt.datetime | None = None
) -> EvictionCase:
    status = clean_choice(status, [s for s in EvictionCase.Status.values if s != "open"], field="status")
    locked = EvictionCase.objects.select_for_update().get(pk=case.pk)
    if locked.status != EvictionCase.Status.OPEN:
        raise Conflict(_("This case is already closed."))
    locked.status = status
    locked.closed_at = now or timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    audit_record(
        community=locked.community,
        actor=by,
        action="defence.case.close",
        target=locked,
        summary=locked.household,
    )
    return locked


@transaction.atomic
def court_date_add(
    *,
    case: EvictionCase,
    by: Membership,
    at: dt.datetime | str,
    kind: str = CourtDate.Kind.HEARING,
    place: str = "",
    vigil_places: int = 4,
    support_places: int = 2,
    now: dt.datetime | None = None,
) -> CourtDate:
    """A court date, and before it a vigil and court-support shift people sign up for (activities
    reminds them). No shift for a date already past (recording an old hearing)."""
    now = now or timezone.now()
    if case.status != EvictionCase.Status.OPEN:
        raise Conflict(_("This case is closed."))
    kind = clean_choice(kind, CourtDate.Kind, field="kind")
    when = clean_datetime(at, field="at", label=_("The court date"))
    place = clean_text(place, field="place", label=_("Court or place"), limit=120)
    vigil = clean_int(vigil_places, field="vigil_places", label=_("Vigil places"), low=0, high=50)
    support = clean_int(
        support_places, field="support_places", label=_("Court support places"), low=0, high=20
    )
    series = None
    gather = timezone.localtime(when - SUPPORT_BEFORE)
    if when > now and (vigil or support) and gather.date() >= activities.local_today(now):
        slots = [
            s
            for s in (
                activities.SlotSpec(_("Vigil"), vigil) if vigil else None,
                activities.SlotSpec(_("Court support"), support) if support else None,
            )
            if s is not None
        ]
        series = activities.series_create(
            community=case.community,
            by=by,
            title=_("Eviction defence: %(kind)s for household %(code)s")
            % {"kind": CourtDate.Kind(kind).label, "code": case.household},
            description=_("Stand with the household. Observe, keep calm, never confront."),
            place=place,
            group=settings_for(case.community).group,
            starts_on=gather.date(),
            start_time=gather.time().replace(second=0, microsecond=0),
            duration_minutes=180,
            slots=slots,
            now=now,
        )
    date = CourtDate.objects.create(case=case, kind=kind, at=when, place=place, support=series)
    audit_record(
        community=case.community,
        actor=by,
        action="defence.court_date.add",
        target=case,
        summary=case.household,
    )
    return date


@transaction.atomic
def court_outcome_set(
    *, court_date: CourtDate, by: Membership, outcome: str, now: dt.datetime | None = None
) -> CourtDate:
    outcome = clean_choice(
        outcome, [o for o in CourtDate.Outcome.values if o != CourtDate.Outcome.PENDING], field="outcome"
    )
    court_date.outcome = outcome
    court_date.decided_at = now or timezone.now()
    court_date.save(update_fields=["outcome", "decided_at"])
    case = court_date.case
    audit_record(
        community=case.community,
        actor=by,
        action="defence.court_date.outcome",
        target=case,
        summary=case.household,
        data={"outcome": outcome},
    )
    return court_date


def case_url(case: EvictionCase) -> str:
    return f"/c/{case.community.slug}/defence/evictions/{case.pk}/"


def court_reminders_due(now: dt.datetime) -> int:
    """Clock job: tell each open case's case worker, once, that a court date is less than a day
    away. The message names the household code only (it may travel by email): the time and the
    place are on the case's page. Idempotent; how many were sent."""
    due = (
        CourtDate.objects.filter(
            outcome=CourtDate.Outcome.PENDING,
            reminded_at__isnull=True,
            at__gt=now,
            at__lte=now + REMIND_BEFORE,
            case__status=EvictionCase.Status.OPEN,
            case__case_worker__isnull=False,
        )
        .select_related("case__community", "case__case_worker")
        .order_by("at", "id")[:500]
    )
    sent = 0
    for date in due:
        case = date.case
        with transaction.atomic():
            if not CourtDate.objects.filter(pk=date.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue  # another clock got there first
            worker = case.case_worker
            if worker is None or not worker.is_active:
                continue
            notification_send(
                recipients=[worker],
                community=case.community,
                kind="defence.court_date",
                title=text(
                    gettext_lazy("A court date of household %(code)s is less than a day away"),
                    code=case.household,
                ),
                body=gettext_lazy("Open the case for the time and the place, and see who holds the vigil."),
                url=case_url(case),
            )
            sent += 1
    return sent


def court_reminders_job(now: dt.datetime) -> str | None:
    """The clock's entry (``defence.court_reminders``): what it did, for the clock's log."""
    sent = court_reminders_due(now)
    return f"{sent} court date reminders sent to case workers" if sent else None


@transaction.atomic
def rights_page_save(
    *, community: Community, by: Membership, title: str, body: str, language: str, slug: str = ""
) -> RightsPage:
    """Write or translate a know-your-rights page (one row per language of the same ``slug``); a page
    shared with peers sends them the new text as its next version (response_rights.py)."""
    title = clean_text(title, field="title", label=_("Title"), limit=120, required=True)
    body = clean_text(body, field="body", label=_("Text"), limit=20000, required=True)
    language = clean_choice(language, LANGUAGES, field="language")
    slug = slugify(clean_text(slug, field="slug", label=_("Page"), limit=60) or title)[:60]
    if not slug:
        raise InvalidInput(_("Give the page a title with letters in it."), field="title")
    page, _made = RightsPage.objects.update_or_create(
        community=community,
        slug=slug,
        language=language,
        defaults={"title": title, "body": body, "updated_by": by},
    )
    rights_sync(page=page, by=by)
    audit_record(community=community, actor=by, action="defence.rights.save", target=page, summary=title)
    return page
