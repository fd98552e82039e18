"""Accounts: created by the node's operator (or the demo), and deleted by their owner."""

from __future__ import annotations

import json
import re
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.community import selectors as community_selectors
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput
from dualpower.members.hooks import account_deleted, member_erased
from dualpower.members.models import Application, AuditRedaction, Membership, User
from dualpower.members.services._common import FORMER_MEMBER


@transaction.atomic
def account_confirmed_create(*, email: str, password: str | None) -> User:
    """An account whose email address counts as confirmed: the node's operator typed it (or the
    demo made it up). Without a password (None) the account cannot log in with one."""
    user = User.objects.create_user(email=email, password=password)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


@transaction.atomic
def account_delete(*, user: User, confirm_email: str) -> None:
    """Delete an account. Memberships stay as "former member" so shared records keep an author.

    Everything personal goes: contact, skills, languages, neighbourhood, applications, tokens,
    email addresses and the login itself. The audit log is append-only: its entries that name the
    person keep their stored words, but readers see them with "former member" in place of the name
    (``AuditRedaction``). Apps above members rename what they named after the person
    (``hooks.register_member_erased``: the ledger's accounts).
    """
    if not isinstance(confirm_email, str) or confirm_email.strip().lower() != user.email.lower():
        raise InvalidInput(_("Type your email address exactly to confirm."), field="confirm_email")
    now = timezone.now()
    for membership in (
        Membership.objects.select_for_update(of=("self",)).filter(user=user).select_related("community")
    ):
        audit_redact_name(community=membership.community, name=membership.display_name)
        membership.user = None
        membership.status = Membership.Status.FORMER
        membership.display_name = FORMER_MEMBER
        membership.contact = ""
        membership.contact_visibility = Membership.Visibility.NOBODY
        membership.skills = []
        membership.languages = []
        membership.neighbourhood = ""
        membership.left_at = now
        membership.save()
        audit_record(
            community=membership.community,
            actor=membership,
            action="member.leave",
            target=membership,
            summary=FORMER_MEMBER,
        )
        member_erased(membership=membership)
    account_deleted(user=user)
    Application.objects.filter(user=user).delete()
    user.delete()


def _redacted(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub(FORMER_MEMBER, value)
    if isinstance(value, list):
        return [_redacted(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _redacted(v, pattern) for k, v in value.items()}
    return value


def audit_redact_name(*, community: Community, name: str) -> int:
    """Make the community's audit log show "former member" wherever it named ``name`` (as a whole
    word, in an entry's summary or data): one ``AuditRedaction`` per entry, which readers see
    instead of the stored words (the entries are append-only). Returns how many entries changed."""
    name = name.strip()
    if not name or name == FORMER_MEMBER:
        return 0
    pattern = re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)")
    known = {r.entry_id: r for r in AuditRedaction.objects.filter(entry__community=community)}
    changed = 0
    entries = community_selectors.audit_entries_as_stored(community=community).values_list(
        "pk", "summary", "data"
    )
    for pk, stored_summary, stored_data in entries.iterator(chunk_size=2000):
        redaction = known.get(pk)
        summary = redaction.summary if redaction is not None else stored_summary
        data = json.loads(redaction.data) if redaction is not None and redaction.data else stored_data
        new_summary, new_data = pattern.sub(FORMER_MEMBER, summary or ""), _redacted(data, pattern)
        if new_summary == summary and new_data == data:
            continue
        data_text = json.dumps(new_data) if new_data != stored_data else ""
        if redaction is None:
            AuditRedaction.objects.create(entry_id=pk, summary=new_summary, data=data_text)
        else:
            redaction.summary, redaction.data = new_summary, data_text
            redaction.save(update_fields=["summary", "data"])
        changed += 1
    return changed
