"""Care circles: opening, the pod, the help calendar, sealed notes, closing and erasure.

Who may call each verb is decided in rules.py; the services keep the invariants (one helper per
need, a closed circle stays closed, details and notes sealed) and write the audit log, which names
the circle by its number only: the log is read by every member.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.care.models.circles import Circle, Helper, Need, Note
from dualpower.care.services.circles_seal import seal
from dualpower.clean import clean_choice, clean_datetime, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, NotFound
from dualpower.members.models import Membership

NOTE_MAX = 4000
DETAILS_MAX = 1000


def _kind(value: object) -> str:
    kind = str(value or "").strip()
    if kind not in Circle.Kind.values:
        raise InvalidInput(
            _(
                "Say what the circle is for: after surgery, a birth, grief, a mental-health crisis, caring "
                "for an elder, or another time of need."
            ),
            field="kind",
        )
    return kind


def _same_community(community: Community, membership: Membership | None, field: str) -> None:
    if membership is not None and membership.community_id != community.pk:
        raise InvalidInput(_("That person is not a member of this community."), field=field)


def _log(circle: Circle, by: Membership | None, action: str) -> None:
    """An entry naming the circle by number and nobody else (``by`` is not recorded: every member
    reads the log, and who acts in a circle says who is in it; see audit.py)."""
    audit_record(community=circle.community, actor=None, action=action, target=circle, summary=str(circle.pk))


def _locked(circle: Circle) -> Circle:
    """The circle, locked for this transaction, refused when it is closed."""
    fresh = Circle.objects.select_for_update().filter(pk=circle.pk).first()
    if fresh is None:
        raise NotFound(_("This care circle no longer exists."))
    if not fresh.is_open:
        raise Conflict(_("This care circle is closed."))
    circle.status, circle.keeper_id = fresh.status, fresh.keeper_id
    return fresh


@transaction.atomic
def circle_open(
    *,
    community: Community,
    opened_by: Membership,
    person: Membership | None = None,
    person_code: str = "",
    kind: str,
    title: str,
) -> Circle:
    """Open a care circle for ``person`` (a member; they run it), or, opened by a dispatcher or a
    health coordinator for someone without an account, for the short ``person_code`` standing for
    them (then the opener runs it until they hand it on)."""
    _same_community(community, opened_by, "opened_by")
    _same_community(community, person, "person")
    code = clean_text(person_code, field="person_code", label=_("The code of the person"), limit=12).upper()
    if person is None and not code:
        raise InvalidInput(
            _("Say who the circle is for: a member, or the code of someone without an account."),
            field="person_code",
        )
    if person is not None and code:
        raise InvalidInput(_("A circle is for a member or for a code, not both."), field="person_code")
    circle = Circle.objects.create(
        community=community,
        kind=_kind(kind),
        title=clean_text(title, field="title", label=_("The title"), limit=120, required=True),
        person=person,
        person_code=code,
        keeper=person if person is not None else opened_by,
        opened_by=opened_by,
    )
    _log(circle, opened_by, "care.circle.open")
    return circle


def _sees(value: object) -> str:
    return clean_choice(str(value or Helper.Sees.SLOTS), Helper.Sees, field="sees")


@transaction.atomic
def helper_invite(
    *, circle: Circle, by: Membership, membership: Membership, sees: str = Helper.Sees.SLOTS
) -> Helper:
    """Invite ``membership`` into the circle's pod; ``sees`` says whether they may read the notes
    (every helper sees the details of the needs they take, and only those)."""
    circle = _locked(circle)
    _same_community(circle.community, membership, "membership")
    if membership.pk in {circle.person_id, circle.keeper_id}:
        raise InvalidInput(_("The person and whoever runs the circle are in it already."), field="membership")
    if Helper.objects.filter(circle=circle, membership=membership).exists():
        raise Conflict(
            _("%(name)s is in this circle or invited already.") % {"name": membership.display_name}
        )
    helper = Helper.objects.create(circle=circle, membership=membership, sees=_sees(sees))
    _log(circle, by, "care.circle.invite")
    return helper


@transaction.atomic
def helper_answer(*, helper: Helper, accept: bool) -> Helper | None:
    """The invited person joins the pod, or declines (the invitation is then forgotten)."""
    circle = _locked(helper.circle)
    updated = Helper.objects.filter(pk=helper.pk, status=Helper.Status.INVITED)
    if accept:
        if not updated.update(status=Helper.Status.ACTIVE, joined_at=timezone.now()):
            raise Conflict(_("This invitation was answered already."))
        _log(circle, helper.membership, "care.circle.join")
        helper.refresh_from_db()
        return helper
    if not updated.delete()[0]:
        raise Conflict(_("This invitation was answered already."))
    _log(circle, helper.membership, "care.circle.decline")
    return None


@transaction.atomic
def helper_visibility_set(*, helper: Helper, by: Membership, sees: str) -> Helper:
    circle = _locked(helper.circle)
    helper.sees = _sees(sees)
    helper.save(update_fields=["sees"])
    _log(circle, by, "care.circle.visibility")
    return helper


def _drop_helper(helper: Helper) -> None:
    # The needs they took and did not do are open again; done ones keep the time, not the name.
    Need.objects.filter(taken_by=helper, done_at__isnull=True).update(taken_by=None, taken_at=None)
    helper.delete()


@transaction.atomic
def helper_remove(*, helper: Helper, by: Membership) -> None:
    """Whoever runs the circle takes a helper out of it; the needs they held open again."""
    circle = _locked(helper.circle)
    _drop_helper(helper)
    _log(circle, by, "care.circle.remove")


@transaction.atomic
def helper_leave(*, helper: Helper) -> None:
    """A helper leaves the circle (or withdraws from an invitation); the needs they held open again."""
    circle = helper.circle
    _drop_helper(helper)
    _log(circle, helper.membership, "care.circle.leave")


@transaction.atomic
def circle_hand_over(*, circle: Circle, by: Membership, to: Membership) -> Circle:
    """The person (or whoever runs the circle) hands its running to someone they trust: a member of
    the community, who then runs it beside the person (the person keeps every right to it)."""
    locked = _locked(circle)
    _same_community(locked.community, to, "to")
    if to.pk == locked.keeper_id:
        raise Conflict(_("%(name)s runs this circle already.") % {"name": to.display_name})
    locked.keeper = to
    locked.save(update_fields=["keeper"])
    # Running it, they are no longer one of its helpers.
    Helper.objects.filter(circle=locked, membership=to).delete()
    _log(locked, by, "care.circle.handover")
    return locked


@transaction.atomic
def circle_close(*, circle: Circle, by: Membership, now: dt.datetime | None = None) -> Circle:
    """Close the circle: helpers no longer see it; after the community's retention the clock erases
    it, leaving only counts."""
    locked = _locked(circle)
    locked.status = Circle.Status.CLOSED
    locked.closed_at = now or timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    Helper.objects.filter(circle=locked, status=Helper.Status.INVITED).delete()
    _log(locked, by, "care.circle.close")
    return locked


@transaction.atomic
def need_add(
    *,
    circle: Circle,
    by: Membership,
    kind: str,
    starts_at: dt.datetime | str,
    ends_at: dt.datetime | str | None = None,
    label: str = "",
    details: str = "",
) -> Need:
    """A need on the help calendar. ``label`` is what every helper of the circle sees ("Dinner for
    three"); ``details`` (an address, an allergy, a door code) are sealed and shown only to the
    helper who takes the need and to whoever runs the circle."""
    locked = _locked(circle)
    kind = clean_choice(str(kind or ""), Need.Kind, field="kind")
    start = clean_datetime(starts_at, field="starts_at", label=_("When"))
    end = None
    if ends_at not in (None, ""):
        end = clean_datetime(ends_at, field="ends_at", label=_("Until"))
        if end <= start:
            raise InvalidInput(_("A need ends after it starts."), field="ends_at")
    need = Need.objects.create(
        circle=locked,
        kind=kind,
        starts_at=start,
        ends_at=end,
        label=clean_text(label, field="label", label=_("The short description"), limit=120),
        sealed_details=seal(clean_text(details, field="details", label=_("The details"), limit=DETAILS_MAX)),
    )
    _log(locked, by, "care.circle.need")
    return need


@transaction.atomic
def need_cancel(*, need: Need, by: Membership) -> None:
    """Take a need off the calendar (not one already done: it counts)."""
    locked = _locked(need.circle)
    if need.done_at is not None:
        raise Conflict(_("This need was met already; it stays on the calendar."))
    Need.objects.filter(pk=need.pk).delete()
    _log(locked, by, "care.circle.need_cancel")


@transaction.atomic
def need_take(*, need: Need, helper: Helper, now: dt.datetime | None = None) -> Need:
    """A helper takes a need. Two helpers taking it at once: one conditional UPDATE decides, the
    other is told someone was quicker (nothing written for them)."""
    locked = _locked(need.circle)
    if helper.circle_id != locked.pk or helper.status != Helper.Status.ACTIVE:
        raise InvalidInput(_("Only a helper of this circle can take its needs."), field="need")
    moment = now or timezone.now()
    if not Need.objects.filter(pk=need.pk, taken_by__isnull=True, done_at__isnull=True).update(
        taken_by=helper, taken_at=moment
    ):
        if not Need.objects.filter(pk=need.pk).exists():
            raise NotFound(_("This need was taken off the calendar."))
        raise Conflict(_("Someone else took this need just before you. Thank you all the same!"))
    need.refresh_from_db()
    _log(locked, helper.membership, "care.circle.take")
    return need


@transaction.atomic
def need_release(*, need: Need, by: Membership) -> Need:
    """The helper gives a need back (or whoever runs the circle frees it): it is open again."""
    locked = _locked(need.circle)
    if not Need.objects.filter(pk=need.pk, taken_by__isnull=False, done_at__isnull=True).update(
        taken_by=None, taken_at=None
    ):
        raise Conflict(_("This need is not held by anyone (or was met already)."))
    need.refresh_from_db()
    _log(locked, by, "care.circle.release")
    return need


@transaction.atomic
def need_done(*, need: Need, by: Membership, now: dt.datetime | None = None) -> Need:
    locked = _locked(need.circle)
    if not Need.objects.filter(pk=need.pk, taken_by__isnull=False, done_at__isnull=True).update(
        done_at=now or timezone.now()
    ):
        raise Conflict(_("Only a need someone has taken, and not yet marked done, can be marked done."))
    need.refresh_from_db()
    _log(locked, by, "care.circle.done")
    return need


@transaction.atomic
def note_add(*, circle: Circle, author: Membership, body: str) -> Note:
    """A private note, sealed: read by whoever runs the circle and the helpers allowed to."""
    locked = _locked(circle)
    text = clean_text(body, field="body", label=_("The note"), limit=NOTE_MAX, required=True)
    note = Note.objects.create(circle=locked, author=author, sealed_body=seal(text))
    _log(locked, author, "care.circle.note")
    return note
