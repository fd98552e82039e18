"""Taking part in one date: signing up, giving a place back, no-show marks, feedback and the
reminder the day before.

The last place goes to one person only: the count of a slot is raised by one conditional UPDATE
that the database checks against the capacity (and a CHECK constraint backs it), so two people
pressing at once cannot both get it.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.activities.models import Activity, Feedback, Organiser, RoleGrant, SignUp, Slot, TrustRole
from dualpower.activities.services._common import (
    LATE_LEAVE,
    NOTE_MAX,
    REMIND_BEFORE,
    takes_part,
)
from dualpower.activities.services.occurrences import activity_url
from dualpower.activities.services.series import organisers_of
from dualpower.clean import clean_int, clean_text
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text


def _role_sentence(role: TrustRole, membership: Membership) -> str:
    have = role.vouches.filter(vouchee=membership).count()
    return _(
        "This place is for people trusted as “%(role)s”. Ask members who know you to vouch for you "
        "on the Roles page: %(need)d vouches are needed and you have %(have)d."
    ) % {"role": role.name, "need": role.threshold, "have": have}


@transaction.atomic
def slot_sign_up(*, slot: Slot, membership: Membership, now: dt.datetime | None = None) -> SignUp:
    """Take a place. The last place goes to one person only: the count is raised by a single
    conditional UPDATE the database checks against the capacity, so two people pressing at once
    cannot both get it; the other is told it is full."""
    now = now or timezone.now()
    _hold_activity(slot.activity_id)
    fresh = (
        Slot.objects.select_related("activity__series", "activity__community", "required_role")
        .filter(pk=slot.pk)
        .first()
    )
    if fresh is None:
        raise NotFound(_("This date is no longer on the schedule; look for another one."))
    slot = fresh
    activity = slot.activity
    takes_part(activity.community, membership)
    if activity.is_cancelled:
        raise Conflict(_("This activity has been cancelled."))
    if activity.starts_at <= now:
        raise Conflict(_("This activity has already started; look for a later one."))
    role = slot.required_role
    if role is not None and not RoleGrant.objects.filter(role=role, membership=membership).exists():
        raise PermissionDenied(_role_sentence(role, membership))
    existing = SignUp.objects.filter(activity=activity, membership=membership).select_related("slot").first()
    if existing is not None:
        raise Conflict(_already(existing))
    taken = Slot.objects.filter(pk=slot.pk, taken__lt=F("capacity")).update(taken=F("taken") + 1)
    if not taken:
        raise Conflict(_("All places for “%(label)s” are taken.") % {"label": slot.label})
    try:
        with transaction.atomic():
            signup = SignUp.objects.create(slot=slot, activity=activity, membership=membership)
    except IntegrityError:
        # The same person twice at once: the outer transaction (and the count) is rolled back.
        raise Conflict(_("You already have a place in this activity.")) from None
    audit_record(
        community=activity.community,
        actor=membership,
        action="activities.sign_up",
        target=activity,
        summary=slot.label,
        data={"slot": slot.pk},
    )
    return signup


def _hold_activity(activity_id: int) -> None:
    """Take the activity before its slot, in the order a schedule change locks them (activity, then
    slots), so a sign-up and a change wait for each other instead of deadlocking. FOR KEY SHARE:
    sign-ups for the same date do not wait on each other, only on a change or deletion of it.
    SQLite has one writer at a time and needs nothing here."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM activities_activity WHERE id = %s FOR KEY SHARE", [activity_id])


def _already(existing: SignUp) -> str:
    return _("You already have a place in this activity (“%(label)s”). Leave it first to take another.") % {
        "label": existing.slot.label
    }


def release(signup: SignUp) -> None:
    SignUp.objects.filter(pk=signup.pk).delete()
    Slot.objects.filter(pk=signup.slot_id, taken__gt=0).update(taken=F("taken") - 1)


@transaction.atomic
def signup_leave(*, signup: SignUp, membership: Membership, now: dt.datetime | None = None) -> None:
    """Give a place back before the activity starts. Leaving within a day tells the organisers."""
    now = now or timezone.now()
    held = (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("activity__series", "activity__community", "slot")
        .filter(pk=signup.pk, membership=membership)
        .first()
    )
    if held is None:
        raise NotFound(_("You do not have this place."))
    signup = held
    activity = signup.activity
    if activity.starts_at <= now:
        raise Conflict(_("This activity has already started; tell an organiser if you cannot stay."))
    release(signup)
    if not activity.is_cancelled and activity.starts_at - now <= LATE_LEAVE:
        notification_send(
            recipients=organisers_of(activity.series),
            community=activity.community,
            kind="activities.late_leave",
            title=notice_text(
                gettext_lazy("A place is free again: %(title)s, %(when)s"),
                title=activity.series.title,
                when=activity.starts_at,
            ),
            body=gettext_lazy(
                "Someone gave back their place less than a day before. You may want to find someone else."
            ),
            url=activity_url(activity),
        )
    audit_record(
        community=activity.community,
        actor=membership,
        action="activities.leave",
        target=activity,
        summary=signup.slot.label,
        data={"slot": signup.slot_id},
    )


@transaction.atomic
def signup_mark_no_show(
    *, signup: SignUp, no_show: bool, by: Membership | None, now: dt.datetime | None = None
) -> SignUp:
    """Organisers mark who did not come, once the activity has started (and can undo it)."""
    now = now or timezone.now()
    if not isinstance(no_show, bool):
        raise InvalidInput(_("Say whether the person came: true or false."), field="no_show")
    signup = (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("activity__community", "membership")
        .get(pk=signup.pk)
    )
    if signup.activity.starts_at > now:
        raise Conflict(_("Mark who did not come once the activity has started."))
    if signup.no_show == no_show:
        return signup
    signup.no_show = no_show
    signup.save(update_fields=["no_show"])
    audit_record(
        community=signup.activity.community,
        actor=by,
        action="activities.no_show" if no_show else "activities.no_show_undo",
        target=signup.activity,
        summary=signup.membership.display_name,
        data={"membership": signup.membership_id},
    )
    return signup


@transaction.atomic
def feedback_give(
    *,
    activity: Activity,
    membership: Membership,
    note: str = "",
    rating: int | None = None,
    now: dt.datetime | None = None,
) -> Feedback:
    """After an activity, the people who took part (and its organisers) say how it went.
    Giving feedback again replaces one's earlier feedback."""
    now = now or timezone.now()
    takes_part(activity.community, membership)
    note = clean_text(
        note,
        field="note",
        label=_("The note"),
        limit=NOTE_MAX,
    )
    if rating is not None:
        rating = clean_int(
            rating,
            field="rating",
            label=_("A rating"),
            low=1,
            high=5,
        )
    if not note and rating is None:
        raise InvalidInput(_("Write a note or give a rating."), field="note")
    if activity.is_cancelled:
        raise Conflict(_("This activity was cancelled."))
    if activity.ends_at > now:
        raise Conflict(_("Feedback opens when the activity is over."))
    took_part = SignUp.objects.filter(activity=activity, membership=membership, no_show=False).exists()
    organises = Organiser.objects.filter(series_id=activity.series_id, membership=membership).exists()
    if not (took_part or organises):
        raise PermissionDenied(_("Only the people who took part give feedback on an activity."))
    feedback, created = Feedback.objects.update_or_create(
        activity=activity, membership=membership, defaults={"note": note, "rating": rating}
    )
    audit_record(
        community=activity.community,
        actor=membership,
        action="activities.feedback" if created else "activities.feedback_change",
        target=activity,
        data={"rating": rating},
    )
    return feedback


def remind_due(now: dt.datetime) -> int:
    """Remind each person of their place the day before, once. The conditional UPDATE claims the
    reminder, so two clocks never send it twice."""
    due = SignUp.objects.filter(
        reminded_at=None,
        activity__is_cancelled=False,
        activity__starts_at__gt=now,
        activity__starts_at__lte=now + REMIND_BEFORE,
    ).select_related("activity__series", "activity__community", "slot", "membership")
    sent = 0
    for signup in due:
        with transaction.atomic():
            if not SignUp.objects.filter(pk=signup.pk, reminded_at=None).update(reminded_at=now):
                continue
            activity = signup.activity
            notification_send(
                recipients=[signup.membership],
                community=activity.community,
                kind="activities.reminder",
                title=notice_text(
                    gettext_lazy("Tomorrow: %(title)s, %(when)s"),
                    title=activity.series.title,
                    when=activity.starts_at,
                ),
                body=notice_text(
                    gettext_lazy(
                        "You have a place as “%(label)s”. If you cannot come, give it back on the page."
                    ),
                    label=signup.slot.label,
                ),
                url=activity_url(activity),
            )
            sent += 1
    return sent
