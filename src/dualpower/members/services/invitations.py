"""Invitation links: a coordinator makes one (limited by uses or a date if they wish) and may revoke
it; a person who opens it signs up and applies in one step. The application goes to the same queue
as every other (``application_submit``); the invitation only records that it was used.

The reads (``invitation_by_token``, ``invitations_of``) sit here beside the writes: the invitation
is a noun of its own, kept out of the app's shared modules.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

import segno
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, NotFound
from dualpower.members.invitation_models import Invitation, InvitationUse
from dualpower.members.models import Application, User
from dualpower.members.selectors import account_exists
from dualpower.members.services._common import Actor, _coordinator
from dualpower.members.services.applications import application_submit

NOTE_MAX = 120
MAX_USES_LIMIT = 10_000


# --- Reads -------------------------------------------------------------------------------------


def invitations_of(*, community: Community) -> QuerySet[Invitation]:
    """The community's invitations, newest first (with who made them, for the list)."""
    return Invitation.objects.filter(community=community).select_related("created_by", "community")


def invitation_get(*, community: Community, invitation_id: int) -> Invitation:
    found = invitations_of(community=community).filter(pk=invitation_id).first()
    if found is None:
        raise NotFound(_("There is no such invitation in this community."))
    return found


def invitation_by_token(*, community: Community, token: str) -> Invitation:
    """The invitation behind a link (404 with a sentence when the link is wrong)."""
    found = Invitation.objects.filter(community=community, token=token).select_related("community").first()
    if found is None:
        raise NotFound(_("This invitation link is not known here. Check that it was copied whole."))
    return found


def invitation_qr_svg(*, url: str) -> str:
    """The link as a QR code: inline SVG, black on white, scaling to its box (no width/height)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, border=2, dark="#000", light="#fff", omitsize=True)
    return str(svg)


# --- Writes ------------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    community: Community,
    by: Actor | None,
    note: str = "",
    max_uses: int | None = None,
    expires_at: datetime | None = None,
) -> Invitation:
    """A new invitation link of ``community``; only a coordinator may make one."""
    coordinator = _coordinator(by, community)
    note = clean_text(note, field="note", label=_("What it is for"), limit=NOTE_MAX)
    if max_uses is not None and (isinstance(max_uses, bool) or not 1 <= max_uses <= MAX_USES_LIMIT):
        raise InvalidInput(
            _("The number of people is a whole number from 1 to %(n)d, or empty for no limit.")
            % {"n": MAX_USES_LIMIT},
            field="max_uses",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("Choose a date in the future, or leave it empty."), field="expires_at")
    invitation = Invitation.objects.create(
        community=community,
        token=secrets.token_urlsafe(18),
        note=note,
        created_by=coordinator,
        max_uses=max_uses,
        expires_at=expires_at,
    )
    audit_record(
        community=community,
        actor=coordinator,
        action="invitation.create",
        target=invitation,
        summary=note,
        data={"max_uses": max_uses, "expires_at": expires_at.isoformat() if expires_at else None},
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: Actor | None) -> Invitation:
    """Stop a link from working; people who already applied through it keep their applications."""
    coordinator = _coordinator(by, invitation.community)
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.revoked_at is not None:
        raise Conflict(_("This invitation was already revoked."))
    locked.revoked_at = timezone.now()
    locked.revoked_by = coordinator
    locked.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        community=locked.community,
        actor=coordinator,
        action="invitation.revoke",
        target=locked,
        summary=locked.note,
    )
    return locked


def _usable_locked(invitation: Invitation) -> Invitation:
    """Re-read the invitation under a row lock (two people using the last place cannot both get it)."""
    locked = Invitation.objects.select_for_update().select_related("community").get(pk=invitation.pk)
    state = locked.state()
    if state == "revoked":
        raise Conflict(_("This invitation was withdrawn by the community. Ask them for a new link."))
    if state == "expired":
        raise Conflict(_("This invitation has expired. Ask the community for a new link."))
    if state == "used_up":
        raise Conflict(_("This invitation has been used by as many people as it allows. Ask for a new link."))
    return locked


@transaction.atomic
def invitation_apply(
    *, invitation: Invitation, user: User, display_name: str, answers: Sequence[str]
) -> Application:
    """Apply to the invitation's community through it: the application lands in the usual queue,
    and the invitation counts one use."""
    locked = _usable_locked(invitation)
    application = application_submit(
        user=user, community=locked.community, display_name=display_name, answers=answers
    )
    locked.uses += 1
    locked.save(update_fields=["uses"])
    InvitationUse.objects.create(invitation=locked, application=application)
    audit_record(
        community=locked.community,
        actor=None,
        action="invitation.use",
        target=locked,
        summary=application.display_name,
        data={"application": application.pk},
    )
    invitation.uses = locked.uses
    return application


def _new_account(*, email: str, password: str, password_again: str) -> User:
    """An account whose address is not confirmed yet (allauth sends the confirmation)."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput(_("Enter an email address such as name@example.org."), field="email") from None
    if account_exists(email=email):
        raise Conflict(
            _("An account with this email address exists already: sign in, then open the link again."),
            field="email",
        )
    if password != password_again:
        raise InvalidInput(_("The two passwords are not the same."), field="password2")
    try:
        validate_password(password, User(email=email))
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password1") from None
    user = User.objects.create_user(email=email, password=password)
    language = (get_language() or "").split("-")[0]
    if language in dict(settings.LANGUAGES):
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    EmailAddress.objects.create(user=user, email=email, verified=False, primary=True)
    return user


@transaction.atomic
def invitation_sign_up_and_apply(
    *,
    invitation: Invitation,
    email: str,
    password: str,
    password_again: str,
    display_name: str,
    answers: Sequence[str],
) -> Application:
    """Make an account and apply through ``invitation``, both or neither. The caller then has the
    confirmation email sent (``allauth.account.utils.complete_signup``)."""
    _usable_locked(invitation)  # say so before anything is typed into an account
    user = _new_account(email=email, password=password, password_again=password_again)
    return invitation_apply(invitation=invitation, user=user, display_name=display_name, answers=answers)
