"""Duress passwords: setting one, removing it, and what signing in with it does.

Signing in with the duress password (members' sign-in asks ``duress_sign_in`` after a wrong
password, through ``members.hooks.register_sign_in_alternative``):

1. every session of the real account ends and its access tokens are revoked
   (``members.services.sessions_end``), so a phone or laptop taken earlier is signed out too;
2. the people the member chose are told, in the app and by email, after the commit;
3. the person is signed in to their decoy: an account that looks ordinary and holds nothing.

Nothing of this goes in the audit log: every coordinator reads the log, and it is kept forever;
whether someone has a duress password, and when they used it, is for the people they chose.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.community.selectors import active_membership
from dualpower.defence.models.exposure import DuressPassword
from dualpower.errors import InvalidInput
from dualpower.members import services as members
from dualpower.members.models import Membership, User
from dualpower.notifications.services import notification_send, text

MAX_PASSWORD = 200
ALERT_KIND = "defence.duress"


def _password(value: object, *, user: User) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidInput(_("Choose a duress password."), field="password")
    if len(value) > MAX_PASSWORD:
        raise InvalidInput(_("A password of at most 200 characters, please."), field="password")
    if user.check_password(value):
        raise InvalidInput(
            _("The duress password must differ from your password: it opens an empty account instead."),
            field="password",
        )
    try:
        validate_password(value, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None
    return value


def _alerted(membership: Membership, alert_to: Sequence[Membership]) -> list[Membership]:
    chosen = []
    for person in alert_to:
        if (
            not isinstance(person, Membership)
            or person.community_id != membership.community_id
            or person.status != Membership.Status.ACTIVE
            or person.user_id is None
        ):
            raise InvalidInput(_("Choose people who are members of this community."), field="alert_to")
        if person.pk == membership.pk:
            raise InvalidInput(_("Choose other people than yourself to alert."), field="alert_to")
        chosen.append(person)
    return chosen


@transaction.atomic
def duress_set(
    *, membership: Membership, current_password: str, password: str, alert_to: Sequence[Membership]
) -> DuressPassword:
    """Set (or change) the duress password of ``membership``'s account and who it alerts."""
    user = membership.user
    if user is None:
        raise InvalidInput(_("This membership has no account."), field="password")
    if not isinstance(current_password, str) or not user.check_password(current_password):
        raise InvalidInput(_("That is not your password."), field="current_password")
    hashed = make_password(_password(password, user=user))
    chosen = _alerted(membership, alert_to)
    duress = DuressPassword.objects.select_for_update().filter(user=user).first()
    if duress is None:
        duress = DuressPassword.objects.create(
            user=user,
            community=membership.community,
            password=hashed,
            decoy=members.decoy_account_create(user=user),
        )
    else:
        duress.password = hashed
        duress.community = membership.community
        duress.save(update_fields=["password", "community", "updated_at"])
    duress.alert_to.set(chosen)
    return duress


@transaction.atomic
def duress_remove(*, user: User) -> bool:
    """Remove the duress password of ``user`` and its empty account; False if there was none."""
    duress = DuressPassword.objects.select_for_update().filter(user=user).first()
    if duress is None:
        return False
    decoy_id = duress.decoy_id
    duress.delete()
    members.decoy_account_delete(user_id=decoy_id)  # its empty account goes with it
    return True


def duress_forget(*, user: User) -> None:
    """An account is being deleted (``members.hooks.register_account_deleted``): its duress
    password and the empty account it opens go with it."""
    for duress in DuressPassword.objects.select_for_update().filter(user=user):
        decoy_id = duress.decoy_id
        duress.delete()
        members.decoy_account_delete(user_id=decoy_id)


def duress_sign_in(*, email: str, password: str) -> User | None:
    """The decoy account if ``password`` is the duress password of the account ``email`` names,
    after ending that account's sessions and alerting the people chosen; None otherwise."""
    duress = (
        DuressPassword.objects.select_related("user", "decoy", "community")
        .filter(user__email=email.strip().lower(), user__is_active=True)
        .first()
    )
    if duress is None:
        make_password(password)  # the time a check takes: nobody learns who has a duress password
        return None
    if not check_password(password, duress.password):
        return None
    with transaction.atomic():
        members.sessions_end(user=duress.user)
        DuressPassword.objects.filter(pk=duress.pk).update(last_used_at=timezone.now())
        me = active_membership(community=duress.community, user_id=duress.user_id)
        name = me.display_name if me is not None else duress.user.email
        notification_send(
            recipients=list(duress.alert_to.filter(status=Membership.Status.ACTIVE)),
            community=duress.community,
            kind=ALERT_KIND,
            title=text(gettext_lazy("%(name)s signed in with their duress password"), name=name),
            body=gettext_lazy(
                "Someone may be making them open their account. Reach them the way you agreed; "
                "do not write to them here."
            ),
        )
    return duress.decoy
