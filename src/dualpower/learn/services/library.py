"""Every write of the library of things. One transaction each, audit entry inside.

A thing's row is locked (``select_for_update``) by every change to its loan or its holds, so two
members placing holds at once are queued in the order the database took them, and two members
borrowing the last thing at once get one loan and one sentence. Deposits move through the ledger
in the same transaction as the loan: the member's account pays the community's account when the
thing goes out, and the community's account pays it back on return (idempotency keys name the
loan, so a retried request moves nothing twice).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.activities.models import TrustRole
from dualpower.activities.selectors import roles_held
from dualpower.clean import clean_choice, clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.core.library import holds as queue
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.formatting import format_date
from dualpower.groups.selectors import groups_of
from dualpower.learn.errors import HeldForSomeoneElse, Overdue
from dualpower.learn.models.library import (
    MAX_LOAN_DAYS,
    MAX_READY_DAYS,
    MAX_RENEWALS,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Category,
    Condition,
    Hold,
    LibrarySettings,
    Loan,
    LoanTally,
    Thing,
)
from dualpower.ledger.models import Account, Currency
from dualpower.ledger.services import OwnerKind, account_open, member_account, transfer_make
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

MAX_DEPOSIT = 10**9


def thing_url(thing: Thing) -> str:
    return f"/c/{thing.community.slug}/learn/library/{thing.pk}/"


def _today(now: dt.datetime) -> dt.date:
    return timezone.localdate(now)


@dataclass(frozen=True)
class ThingText:
    """What a person says about a thing on the form or in the API, checked by ``_cleaned``."""

    title: str
    description: str = ""
    category: str = Category.OTHER
    condition: str = Condition.GOOD
    pickup: str = ""
    deposit: int = 0
    loan_days: int = 14
    max_renewals: int = 2
    ready_days: int = 3


def _cleaned(text: ThingText) -> ThingText:
    return ThingText(
        title=clean_text(text.title, field="title", label=_("What it is"), limit=TITLE_MAX, required=True),
        description=clean_text(
            text.description, field="description", label=_("The description"), limit=TEXT_MAX
        ),
        category=clean_choice(text.category, Category, field="category"),
        condition=clean_choice(text.condition, Condition, field="condition"),
        pickup=clean_text(text.pickup, field="pickup", label=_("Where to pick it up"), limit=PLACE_MAX),
        deposit=clean_int(text.deposit, field="deposit", label=_("The deposit"), low=0, high=MAX_DEPOSIT),
        loan_days=clean_int(
            text.loan_days, field="loan_days", label=_("Days a loan lasts"), low=1, high=MAX_LOAN_DAYS
        ),
        max_renewals=clean_int(
            text.max_renewals, field="max_renewals", label=_("Renewals allowed"), low=0, high=MAX_RENEWALS
        ),
        ready_days=clean_int(
            text.ready_days,
            field="ready_days",
            label=_("Days a ready hold waits"),
            low=1,
            high=MAX_READY_DAYS,
        ),
    )


@transaction.atomic
def thing_create(
    *,
    community: Community,
    by: Membership,
    text: ThingText,
    owner: Membership | None = None,
    deposit_currency: Currency | None = None,
    trust_role: TrustRole | None = None,
    photo: File | None = None,
    photo_name: str = "",
) -> Thing:
    """Add a thing to the catalogue: the community's (``owner`` None) or a member's own."""
    text = _cleaned(text)
    if text.deposit and deposit_currency is None:
        raise InvalidInput(_("Say which currency the deposit is in."), field="deposit_currency")
    if deposit_currency is not None and deposit_currency.community_id != community.pk:
        raise InvalidInput(
            _("The deposit is in one of this community's currencies."), field="deposit_currency"
        )
    if deposit_currency is not None and deposit_currency.kind != Currency.Kind.MUTUAL_CREDIT:
        raise InvalidInput(
            _("A deposit is in money (mutual credit), not in hours."), field="deposit_currency"
        )
    if trust_role is not None and trust_role.community_id != community.pk:
        raise InvalidInput(_("The trust needed is one of this community's roles."), field="trust_role")
    if owner is not None and owner.community_id != community.pk:
        raise PermissionDenied(_("Only members of this community lend through its library."))
    thing = Thing(
        community=community,
        owner=owner,
        deposit_currency=deposit_currency if text.deposit else None,
        trust_role=trust_role,
        **text.__dict__,
    )
    if photo is not None and photo_name:
        thing.photo.save(photo_name, photo, save=False)
    thing.save()
    audit_record(
        community=community, actor=by, action="learn.thing_create", target=thing, summary=thing.title
    )
    return thing


@transaction.atomic
def thing_set_lendable(*, thing: Thing, by: Membership, lendable: bool) -> Thing:
    thing = Thing.objects.select_for_update().get(pk=thing.pk)
    thing.is_lendable = lendable
    thing.save(update_fields=["is_lendable"])
    if lendable:
        offer_next(thing=thing, now=timezone.now())
    audit_record(
        community=thing.community,
        actor=by,
        action="learn.thing_lend" if lendable else "learn.thing_withdraw",
        target=thing,
        summary=thing.title,
    )
    return thing


@transaction.atomic
def library_keepers_set(*, community: Community, by: Membership, group_id: int | None) -> LibrarySettings:
    group = None
    if group_id is not None:
        group = groups_of(community=community).filter(pk=group_id).first()
        if group is None:
            raise InvalidInput(_("Choose one of this community's working groups."), field="keepers")
    settings, _created = LibrarySettings.objects.get_or_create(community=community)
    settings.keepers = group
    settings.save(update_fields=["keepers"])
    audit_record(
        community=community,
        actor=by,
        action="learn.keepers_set",
        target=settings,
        summary=group.name if group else "",
    )
    return settings


# --- rules every loan and hold obeys ---------------------------------------------------------


def overdue_loans(*, membership: Membership, today: dt.date) -> list[Loan]:
    return list(Loan.objects.filter(borrower=membership, due_on__lt=today).select_related("thing"))


def _not_overdue(membership: Membership, today: dt.date) -> None:
    late = overdue_loans(membership=membership, today=today)
    if late:
        raise Overdue(
            _("Bring back “%(thing)s” first: it was due on %(date)s. Late things block new holds and loans.")
            % {"thing": late[0].thing.title, "date": format_date(late[0].due_on)}
        )


def _may_borrow(thing: Thing, membership: Membership) -> None:
    if membership.community_id != thing.community_id or not membership.is_active:
        raise PermissionDenied(_("Only members of this community borrow from its library."))
    if membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Observers follow the community but do not borrow."))
    if thing.owner_id == membership.pk:
        raise Conflict(_("“%(thing)s” is yours: there is nothing to borrow.") % {"thing": thing.title})
    if not thing.is_lendable:
        raise Conflict(_("“%(thing)s” is not lent at the moment.") % {"thing": thing.title})
    if thing.trust_role_id is not None and thing.trust_role_id not in roles_held(membership=membership):
        role = thing.trust_role
        raise PermissionDenied(
            _("“%(thing)s” is lent to members trusted as “%(role)s”: ask members to vouch for you.")
            % {"thing": thing.title, "role": role.name if role else ""}
        )


def _lock(thing: Thing) -> Thing:
    return (
        Thing.objects.select_for_update(of=("self",))
        .select_related("community", "deposit_currency", "trust_role")
        .get(pk=thing.pk)
    )


def _tell_ready(hold: Hold, thing: Thing) -> None:
    notification_send(
        recipients=[hold.membership],
        community=thing.community,
        kind="learn.hold_ready",
        title=notice_text(gettext_lazy("“%(thing)s” is ready for you"), thing=thing.title),
        body=gettext_lazy(
            "It is back in the library and kept for you for a few days. Borrow it from its page."
        ),
        url=thing_url(thing),
    )


def offer_next(*, thing: Thing, now: dt.datetime) -> Hold | None:
    """With ``thing`` locked: if it is in and nobody's hold is ready, the next hold that is not
    paused becomes ready (and its member is told). Called inside the caller's transaction."""
    if Loan.objects.filter(thing=thing).exists() or not thing.is_lendable:
        return None
    if Hold.objects.filter(thing=thing, status=Hold.Status.READY).exists():
        return None
    waiting = list(Hold.objects.filter(thing=thing, status=Hold.Status.WAITING))
    chosen = queue.next_in_line(
        [queue.QueuedHold(seq=h.pk, paused_until=h.paused_until) for h in waiting], today=_today(now)
    )
    if chosen is None:
        return None
    hold = next(h for h in waiting if h.pk == chosen.seq)
    hold.status = Hold.Status.READY
    hold.ready_until = queue.ready_until(now, ready_days=thing.ready_days)
    hold.save(update_fields=["status", "ready_until"])
    _tell_ready(hold, thing)
    return hold


# --- holds ----------------------------------------------------------------------------------


@transaction.atomic
def hold_place(*, thing: Thing, membership: Membership, now: dt.datetime | None = None) -> Hold:
    """Join the thing's queue. Refused while the member has something back late."""
    now = now or timezone.now()
    thing = _lock(thing)
    _may_borrow(thing, membership)
    _not_overdue(membership, _today(now))
    if Hold.objects.filter(thing=thing, membership=membership).exists():
        raise Conflict(_("You already hold “%(thing)s”.") % {"thing": thing.title})
    if Loan.objects.filter(thing=thing, borrower=membership).exists():
        raise Conflict(_("You have “%(thing)s” already.") % {"thing": thing.title})
    hold = Hold.objects.create(thing=thing, membership=membership)
    audit_record(
        community=thing.community, actor=None, action="learn.hold_place", target=thing, summary=thing.title
    )
    offer_next(thing=thing, now=now)
    hold.refresh_from_db()
    return hold


@transaction.atomic
def hold_cancel(*, hold: Hold, by: Membership, now: dt.datetime | None = None) -> Thing:
    """Leave the queue (a ready hold passes to the next member)."""
    now = now or timezone.now()
    thing = _lock(hold.thing)
    Hold.objects.filter(pk=hold.pk).delete()
    audit_record(
        community=thing.community, actor=None, action="learn.hold_cancel", target=thing, summary=thing.title
    )
    offer_next(thing=thing, now=now)
    return thing


@transaction.atomic
def hold_pause(*, hold: Hold, by: Membership, until: dt.date | None, now: dt.datetime | None = None) -> Hold:
    """Pause one's own hold until a date (keeping one's place), or resume it (``until`` None).
    A ready hold that is paused passes to the next member and waits again."""
    now = now or timezone.now()
    today = _today(now)
    thing = _lock(hold.thing)
    hold = Hold.objects.select_for_update().get(pk=hold.pk)
    if until is not None:
        if until <= today:
            raise InvalidInput(_("Pause until a date after today."), field="until")
        if until > today + dt.timedelta(days=365):
            raise InvalidInput(_("A hold is paused for a year at most."), field="until")
    hold.paused_until = until
    if until is not None and hold.status == Hold.Status.READY:
        hold.status = Hold.Status.WAITING
        hold.ready_until = None
    hold.save(update_fields=["paused_until", "status", "ready_until"])
    audit_record(
        community=thing.community, actor=None, action="learn.hold_pause", target=thing, summary=thing.title
    )
    offer_next(thing=thing, now=now)
    hold.refresh_from_db()
    return hold


# --- loans ----------------------------------------------------------------------------------


def _community_account(currency: Currency) -> Account:
    return account_open(currency=currency, owner_kind=OwnerKind.COMMUNITY)


@transaction.atomic
def loan_start(*, thing: Thing, borrower: Membership, by: Membership, now: dt.datetime | None = None) -> Loan:
    """Lend ``thing`` to ``borrower`` (the borrower picking it up, or a keeper handing it over).
    Its deposit moves from the borrower's account to the community's in the same transaction."""
    now = now or timezone.now()
    today = _today(now)
    thing = _lock(thing)
    _may_borrow(thing, borrower)
    _not_overdue(borrower, today)
    if Loan.objects.filter(thing=thing).exists():
        raise Conflict(_("“%(thing)s” is out on loan.") % {"thing": thing.title})
    ready = Hold.objects.filter(thing=thing, status=Hold.Status.READY).first()
    if ready is not None and ready.membership_id != borrower.pk:
        raise HeldForSomeoneElse(
            _("“%(thing)s” is kept for a member who held it: place a hold to be next.")
            % {"thing": thing.title}
        )
    Hold.objects.filter(thing=thing, membership=borrower).delete()
    loan = Loan.objects.create(
        thing=thing,
        borrower=borrower,
        due_on=queue.due_on(today, loan_days=thing.loan_days),
        condition_out=thing.condition,
        deposit=thing.deposit,
    )
    if thing.deposit and thing.deposit_currency is not None:
        transfer_make(
            debit=member_account(currency=thing.deposit_currency, membership=borrower),
            credit=_community_account(thing.deposit_currency),
            amount=thing.deposit,
            description=_("Library deposit"),  # never what: the statement outlives the loan
            idempotency_key=f"learn-deposit-{loan.pk}",
            by=by,
            notify=False,
        )
    audit_record(
        community=thing.community, actor=None, action="learn.loan_start", target=thing, summary=thing.title
    )
    return loan


@transaction.atomic
def loan_renew(*, loan: Loan, by: Membership, now: dt.datetime | None = None) -> Loan:
    """Keep it longer: refused past its renewals, or when another member is waiting for it."""
    now = now or timezone.now()
    thing = _lock(loan.thing)
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if loan.renewals >= thing.max_renewals:
        raise Conflict(
            _("“%(thing)s” was renewed as often as it may be: please bring it back.") % {"thing": thing.title}
        )
    waiting = Hold.objects.filter(thing=thing).exclude(paused_until__gt=_today(now))
    if waiting.exists():
        raise Conflict(
            _("Another member is waiting for “%(thing)s”: please bring it back.") % {"thing": thing.title}
        )
    loan.renewals += 1
    loan.due_on = queue.due_on(max(loan.due_on, _today(now)), loan_days=thing.loan_days)
    loan.reminded_on = None
    loan.save(update_fields=["renewals", "due_on", "reminded_on"])
    audit_record(
        community=thing.community, actor=None, action="learn.loan_renew", target=thing, summary=thing.title
    )
    return loan


@transaction.atomic
def loan_return(*, loan: Loan, by: Membership, condition: str, now: dt.datetime | None = None) -> Thing:
    """The thing is back, in ``condition``. The deposit is paid back, the loan is forgotten
    (only the counts stay), and the next member waiting is told it is ready."""
    now = now or timezone.now()
    condition = clean_choice(condition, Condition, field="condition")
    thing = _lock(loan.thing)
    loan = Loan.objects.select_for_update().filter(pk=loan.pk).select_related("borrower").first()  # type: ignore[assignment]
    if loan is None:
        raise NotFound(_("This loan has ended already."))
    if loan.deposit and thing.deposit_currency is not None:
        transfer_make(
            debit=_community_account(thing.deposit_currency),
            credit=member_account(currency=thing.deposit_currency, membership=loan.borrower),
            amount=loan.deposit,
            description=_("Library deposit back"),
            idempotency_key=f"learn-refund-{loan.pk}",
            by=by,
            notify=False,
        )
    late = queue.is_overdue(loan.due_on, today=_today(now))
    tally, _created = LoanTally.objects.select_for_update().get_or_create(
        community=thing.community, month=f"{_today(now):%Y-%m}"
    )
    tally.returned += 1
    tally.late += int(late)
    tally.save(update_fields=["returned", "late"])
    loan.delete()
    thing.times_lent += 1
    thing.condition = condition
    thing.save(update_fields=["times_lent", "condition"])
    audit_record(
        community=thing.community,
        actor=None,
        action="learn.loan_return",
        target=thing,
        summary=f"{thing.title} ({Condition(condition).label})",
    )
    offer_next(thing=thing, now=now)
    return thing


# --- the clock ------------------------------------------------------------------------------


def holds_expire(now: dt.datetime) -> None:
    """Ready holds past their days are dropped and the thing offered to the next member; paused
    holds whose pause ended are offered a thing that is in."""
    for thing_id in (
        Hold.objects.filter(status=Hold.Status.READY, ready_until__lt=now)
        .values_list("thing_id", flat=True)
        .distinct()
    ):
        with transaction.atomic():
            thing = _lock(Thing(pk=thing_id))
            expired = Hold.objects.filter(thing=thing, status=Hold.Status.READY, ready_until__lt=now)
            for hold in expired.select_related("membership"):
                hold.delete()
                audit_record(
                    community=thing.community,
                    actor=None,
                    action="learn.hold_expire",
                    target=thing,
                    summary=thing.title,
                )
            offer_next(thing=thing, now=now)
    today = _today(now)
    waiting_things = (
        Hold.objects.filter(status=Hold.Status.WAITING, thing__loans__isnull=True, thing__is_lendable=True)
        .exclude(paused_until__gt=today)
        .exclude(thing__holds__status=Hold.Status.READY)
        .values_list("thing_id", flat=True)
        .distinct()
    )
    for thing_id in list(waiting_things):
        with transaction.atomic():
            offer_next(thing=_lock(Thing(pk=thing_id)), now=now)


def loans_remind(now: dt.datetime) -> None:
    """A reminder the day before a loan is due, and a word on its first late day (once each)."""
    today = _today(now)
    tomorrow = today + dt.timedelta(days=1)
    for loan in Loan.objects.filter(due_on=tomorrow, reminded_on__isnull=True).select_related(
        "thing__community", "borrower"
    ):
        with transaction.atomic():
            if Loan.objects.filter(pk=loan.pk, reminded_on__isnull=True).update(reminded_on=today):
                notification_send(
                    recipients=[loan.borrower],
                    community=loan.thing.community,
                    kind="learn.loan_due",
                    title=notice_text(
                        gettext_lazy("“%(thing)s” is due back tomorrow"), thing=loan.thing.title
                    ),
                    body=gettext_lazy("Bring it back, or renew it from its page if nobody is waiting."),
                    url=thing_url(loan.thing),
                )
    for loan in Loan.objects.filter(due_on__lt=today, overdue_told_on__isnull=True).select_related(
        "thing__community", "borrower"
    ):
        with transaction.atomic():
            if Loan.objects.filter(pk=loan.pk, overdue_told_on__isnull=True).update(overdue_told_on=today):
                notification_send(
                    recipients=[loan.borrower],
                    community=loan.thing.community,
                    kind="learn.loan_late",
                    title=notice_text(gettext_lazy("“%(thing)s” is late"), thing=loan.thing.title),
                    body=gettext_lazy(
                        "Others may be waiting. Until it is back you cannot hold or borrow other things."
                    ),
                    url=thing_url(loan.thing),
                )
