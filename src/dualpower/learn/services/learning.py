"""Every write of learning together: offerings, facilitators, sessions, enrolment with its
waitlist, attendance, readings, notes, completions and the training → trust role link.

Completing a training linked to a trust role never grants it: it asks the role's holders (and
the facilitators) to vouch, through activities' vouching, whose threshold still decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.activities.models import TrustRole
from dualpower.activities.selectors import role_holders
from dualpower.clean import clean_choice, clean_datetime, clean_int_or_none, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.groups.models import WorkingGroup
from dualpower.groups.selectors import convened_group_ids
from dualpower.learn.models.learning import (
    MAX_CAPACITY,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
    URL_MAX,
    Attendance,
    Completion,
    Enrolment,
    Facilitator,
    Kind,
    Offering,
    Reading,
    Reciprocity,
    RoleKeeper,
    Session,
)
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text


def offering_url(offering: Offering) -> str:
    return f"/c/{offering.community.slug}/learn/offerings/{offering.pk}/"


@dataclass(frozen=True)
class OfferingText:
    kind: str
    title: str
    description: str = ""
    language: str = "en"
    place: str = ""
    accessibility: str = ""
    reciprocity: str = Reciprocity.FREE
    minutes: int | None = None
    asks: str = ""
    capacity: int = 12


def _cleaned(text: OfferingText) -> OfferingText:
    languages = [code for code, _name in settings.LANGUAGES]
    reciprocity = clean_choice(text.reciprocity, Reciprocity, field="reciprocity")
    minutes = clean_int_or_none(text.minutes, field="minutes", label=_("The hours"), low=1, high=100 * 60)
    asks = clean_text(text.asks, field="asks", label=_("What the facilitator asks"), limit=300)
    if reciprocity == Reciprocity.HOURS and minutes is None:
        raise InvalidInput(_("Say how many time-bank hours it asks."), field="minutes")
    if reciprocity == Reciprocity.ASK and not asks:
        raise InvalidInput(_("Say what the facilitator asks in return."), field="asks")
    capacity = clean_int_or_none(text.capacity, field="capacity", label=_("Places"), low=1, high=MAX_CAPACITY)
    return OfferingText(
        kind=clean_choice(text.kind, Kind, field="kind"),
        title=clean_text(text.title, field="title", label=_("The title"), limit=TITLE_MAX, required=True),
        description=clean_text(
            text.description, field="description", label=_("The description"), limit=TEXT_MAX
        ),
        language=clean_choice(text.language, languages, field="language"),
        place=clean_text(text.place, field="place", label=_("The place"), limit=PLACE_MAX),
        accessibility=clean_text(
            text.accessibility, field="accessibility", label=_("Accessibility"), limit=300
        ),
        reciprocity=reciprocity,
        minutes=minutes if reciprocity == Reciprocity.HOURS else None,
        asks=asks if reciprocity == Reciprocity.ASK else "",
        capacity=capacity or 12,
    )


@transaction.atomic
def offering_create(*, community: Community, by: Membership, text: OfferingText) -> Offering:
    """Propose an offering; whoever proposes it facilitates it."""
    text = _cleaned(text)
    offering = Offering.objects.create(community=community, proposed_by=by, **text.__dict__)
    Facilitator.objects.create(offering=offering, membership=by)
    audit_record(
        community=community, actor=by, action="learn.offering_create", target=offering, summary=offering.title
    )
    return offering


@transaction.atomic
def facilitator_add(*, offering: Offering, membership: Membership, by: Membership) -> Facilitator:
    if membership.community_id != offering.community_id or not membership.is_active:
        raise InvalidInput(_("Facilitators are members of this community."), field="member")
    place, created = Facilitator.objects.get_or_create(offering=offering, membership=membership)
    if not created:
        raise Conflict(_("%(name)s facilitates it already.") % {"name": membership.display_name})
    audit_record(
        community=offering.community,
        actor=by,
        action="learn.facilitator_add",
        target=offering,
        summary=f"{offering.title}: {membership.display_name}",
    )
    return place


# --- sessions, readings, notes --------------------------------------------------------------


@transaction.atomic
def session_add(
    *,
    offering: Offering,
    by: Membership,
    title: str,
    starts_at: object,
    place: str = "",
    facilitator: Membership | None = None,
) -> Session:
    """A session of the offering (a study circle names who facilitates this one: it rotates)."""
    title = clean_text(title, field="title", label=_("The session's title"), limit=TITLE_MAX, required=True)
    when = clean_datetime(starts_at, field="starts_at", label=_("When it starts"))
    place = clean_text(place, field="place", label=_("The place"), limit=PLACE_MAX)
    if facilitator is not None and facilitator.community_id != offering.community_id:
        raise InvalidInput(_("Facilitators are members of this community."), field="facilitator")
    if offering.kind == Kind.SKILL_SHARE and offering.sessions.exists():
        raise Conflict(_("A skill share is one session: propose another one for more."))
    session = Session.objects.create(
        offering=offering, title=title, starts_at=when, place=place or offering.place, facilitator=facilitator
    )
    audit_record(
        community=offering.community,
        actor=by,
        action="learn.session_add",
        target=offering,
        summary=f"{offering.title}: {title}",
    )
    return session


@transaction.atomic
def session_notes_save(*, session: Session, by: Membership, notes: str) -> Session:
    session.notes = clean_text(notes, field="notes", label=_("The notes"), limit=TEXT_MAX)
    session.save(update_fields=["notes"])
    audit_record(
        community=session.offering.community,
        actor=by,
        action="learn.session_notes",
        target=session.offering,
        summary=f"{session.offering.title}: {session.title}",
    )
    return session


@transaction.atomic
def reading_add(
    *,
    session: Session,
    by: Membership,
    title: str,
    url: str = "",
    file: File | None = None,
    file_name: str = "",
) -> Reading:
    """A link or a PDF in the session's reading pack (``file_name`` from ``uploads.upload_accept``)."""
    title = clean_text(title, field="title", label=_("The reading's title"), limit=TITLE_MAX, required=True)
    url = clean_text(url, field="url", label=_("The link"), limit=URL_MAX)
    if url and not url.startswith(("https://", "http://")):
        raise InvalidInput(_("A link starts with https:// or http://."), field="url")
    if not url and not (file is not None and file_name):
        raise InvalidInput(_("Give a link or a file."), field="url")
    reading = Reading(session=session, title=title, url=url, added_by=by)
    if file is not None and file_name:
        reading.file.save(file_name, file, save=False)
    reading.save()
    audit_record(
        community=session.offering.community,
        actor=by,
        action="learn.reading_add",
        target=session.offering,
        summary=f"{session.offering.title}: {title}",
    )
    return reading


# --- enrolment and the waitlist -------------------------------------------------------------


def _lock(offering: Offering) -> Offering:
    return Offering.objects.select_for_update().select_related("community").get(pk=offering.pk)


@transaction.atomic
def enrol(*, offering: Offering, membership: Membership) -> Enrolment:
    """Take a place, or a place on the waitlist when the places are taken."""
    offering = _lock(offering)
    if membership.community_id != offering.community_id or membership.role == Membership.Role.OBSERVER:
        raise PermissionDenied(_("Members of this community take part."))
    if not offering.is_open:
        raise Conflict(_("“%(title)s” takes no more sign-ups.") % {"title": offering.title})
    if Enrolment.objects.filter(offering=offering, membership=membership).exists():
        raise Conflict(_("You signed up already."))
    joined = Enrolment.objects.filter(offering=offering, status=Enrolment.Status.JOINED).count()
    status = Enrolment.Status.JOINED if joined < offering.capacity else Enrolment.Status.WAITING
    enrolment = Enrolment.objects.create(offering=offering, membership=membership, status=status)
    # Who takes part in political study is not written where every member reads (the audit log).
    return enrolment


@transaction.atomic
def enrol_leave(*, offering: Offering, membership: Membership) -> Enrolment | None:
    """Leave; a freed place goes to the first on the waitlist, who is told. Returns who moved up."""
    offering = _lock(offering)
    mine = Enrolment.objects.filter(offering=offering, membership=membership).first()
    if mine is None:
        raise NotFound(_("You are not signed up."))
    freed = mine.status == Enrolment.Status.JOINED
    mine.delete()
    if not freed:
        return None
    first = (
        Enrolment.objects.filter(offering=offering, status=Enrolment.Status.WAITING)
        .select_related("membership")
        .order_by("id")
        .first()
    )
    if first is None:
        return None
    first.status = Enrolment.Status.JOINED
    first.save(update_fields=["status"])
    notification_send(
        recipients=[first.membership],
        community=offering.community,
        kind="learn.place_freed",
        title=notice_text(gettext_lazy("You have a place in “%(title)s”"), title=offering.title),
        body=gettext_lazy("A place was freed and you were first on the waitlist."),
        url=offering_url(offering),
    )
    return first


@transaction.atomic
def attendance_set(*, session: Session, membership: Membership, present: bool, by: Membership) -> None:
    """A facilitator marks who came (only facilitators and the person see it)."""
    offering = session.offering
    if not Enrolment.objects.filter(
        offering=offering, membership=membership, status=Enrolment.Status.JOINED
    ).exists():
        raise InvalidInput(_("Only people taking part are marked present."), field="member")
    if present:
        Attendance.objects.get_or_create(session=session, membership=membership)
    else:
        Attendance.objects.filter(session=session, membership=membership).delete()


# --- completion and the trust role ----------------------------------------------------------


def _ask_vouches(completion: Completion) -> int:
    offering = completion.offering
    role = offering.role
    if role is None or not completion.asks_vouches:
        return 0
    holders = [grant.membership for grant in role_holders(role=role)]
    facilitators = [f.membership for f in offering.facilitator_places.select_related("membership")]
    asked = [m for m in holders + facilitators if m.pk != completion.membership_id]
    return notification_send(
        recipients=asked,
        community=offering.community,
        kind="learn.vouch_asked",
        title=notice_text(
            gettext_lazy("%(name)s completed “%(title)s”: will you vouch for them as “%(role)s”?"),
            name=completion.membership.display_name,
            title=offering.title,
            role=role.name,
        ),
        body=gettext_lazy(
            "Vouch only if you trust them in this role: the role is granted when enough members vouch."
        ),
        url=f"/c/{offering.community.slug}/learn/vouches/",
    )


@transaction.atomic
def completion_record(*, offering: Offering, membership: Membership, by: Membership) -> Completion:
    """A facilitator records that someone completed the training. If it is linked to a trust
    role, the person is told and may ask the role's holders and the facilitators to vouch
    (``completion_choose``); the role is never granted here."""
    offering = _lock(offering)
    if offering.kind != Kind.TRAINING:
        raise Conflict(_("Only a training is completed."))
    if not Enrolment.objects.filter(
        offering=offering, membership=membership, status=Enrolment.Status.JOINED
    ).exists():
        raise InvalidInput(_("Only people taking part complete it."), field="member")
    completion, created = Completion.objects.get_or_create(offering=offering, membership=membership)
    if not created:
        raise Conflict(_("%(name)s completed it already.") % {"name": membership.display_name})
    if offering.role is not None:
        # The person chooses whether the role's holders hear of it (nobody is told before).
        notification_send(
            recipients=[membership],
            community=offering.community,
            kind="learn.completed",
            title=notice_text(gettext_lazy("You completed “%(title)s”"), title=offering.title),
            body=notice_text(
                gettext_lazy(
                    "If you wish, ask holders of “%(role)s” to vouch for you, from the training's page."
                ),
                role=offering.role.name,
            ),
            url=offering_url(offering),
        )
    audit_record(
        community=offering.community,
        actor=by,
        action="learn.completion",
        target=offering,
        summary=offering.title,
    )
    return completion


@transaction.atomic
def completion_choose(*, completion: Completion, shown_to_members: bool, asks_vouches: bool) -> Completion:
    """The person chooses where their completion shows and whether holders are asked to vouch."""
    asked_before = completion.asks_vouches
    completion.shown_to_members = shown_to_members
    completion.asks_vouches = asks_vouches
    completion.save(update_fields=["shown_to_members", "asks_vouches"])
    if asks_vouches and not asked_before:
        _ask_vouches(completion)
    return completion


def may_link_role(*, role: TrustRole, membership: Membership) -> bool:
    """Whether ``membership`` convenes the working group that keeps ``role``."""
    keeper = RoleKeeper.objects.filter(role=role).first()
    return keeper is not None and keeper.group_id in convened_group_ids(membership=membership)


@transaction.atomic
def role_keeper_set(*, role: TrustRole, group: WorkingGroup, by: Membership) -> RoleKeeper:
    """Say which working group keeps a trust role (a coordinator's step, done once per role)."""
    if group.community_id != role.community_id:
        raise InvalidInput(_("Choose one of this community's working groups."), field="group")
    keeper, _created = RoleKeeper.objects.update_or_create(role=role, defaults={"group": group})
    audit_record(
        community=role.community,
        actor=by,
        action="learn.role_keeper",
        target=keeper,
        summary=f"{role.name} → {group.name}",
    )
    return keeper


@transaction.atomic
def role_link_set(*, offering: Offering, role: TrustRole | None, by: Membership) -> Offering:
    """Link a training to the trust role its completion proposes (or unlink it, ``role`` None).
    Only a convener of the working group keeping the role (the old one and the new one) decides."""
    if offering.kind != Kind.TRAINING:
        raise Conflict(_("Only a training proposes a trust role."))
    offering = _lock(offering)
    for each in (r for r in (role, offering.role) if r is not None):
        if each.community_id != offering.community_id:
            raise InvalidInput(_("Choose one of this community's trust roles."), field="role")
        if not may_link_role(role=each, membership=by):
            raise PermissionDenied(
                _("The working group that keeps “%(role)s” decides which trainings propose it.")
                % {"role": each.name}
            )
    offering.role = role
    offering.save(update_fields=["role"])
    audit_record(
        community=offering.community,
        actor=by,
        action="learn.role_link",
        target=offering,
        summary=f"{offering.title} → {role.name}" if role else offering.title,
    )
    return offering
