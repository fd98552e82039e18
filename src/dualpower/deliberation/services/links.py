"""Taking part with the deliberation's link: anyone the facilitators give it to votes and (if they
allow it) adds statements, without an account, as Polis' anonymous participants do.

The visitor is a participant of kind ``LINK`` known only by the sha256 of a random key that their
browser keeps in a signed cookie (views/links.py); no account, no address and no name is stored.
Their statements always wait for a facilitator. Turning the link off, or making a new one, ends
every link participant's access (their votes stay counted); a participant can erase their own
votes at any time.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.clean import clean_choice
from dualpower.community.services import audit_record
from dualpower.deliberation.models import Deliberation, Participant, Statement, Vote
from dualpower.deliberation.services.deliberations import (
    participant_make,
    participation_erase,
    require_open,
    statement_write,
    vote_record,
)
from dualpower.errors import PermissionDenied
from dualpower.members.models import Membership

LINK_ACTIONS = ("on", "rotate", "off")


def key_digest(raw_key: str) -> str:
    """What is stored of a link participant's key: its sha256, never the key itself."""
    return hashlib.sha256(raw_key.encode()).hexdigest()


def link_fingerprint(token: str) -> str:
    """A short mark of the link a cookie was given under: a new link or none no longer matches."""
    return hashlib.sha256(("link:" + token).encode()).hexdigest()[:16] if token else ""


@transaction.atomic
def link_set(
    *, deliberation: Deliberation, by: Membership, action: str, statements: bool = True
) -> Deliberation:
    """Turn the link on (or keep it, changing whether its holders may add statements), make a new
    one (the old one stops working), or turn it off."""
    action = clean_choice(action, list(LINK_ACTIONS), field="action")
    locked = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    if action != "off":
        require_open(locked)
    if action == "off":
        locked.link_token = ""
    elif action == "rotate" or not locked.link_token:
        locked.link_token = secrets.token_urlsafe(24)
    locked.link_statements = statements
    locked.save(update_fields=["link_token", "link_statements"])
    audit_record(
        community=locked.community,
        actor=by,
        action=f"deliberation.link_{action}",
        target=locked,
        summary=locked.question,
    )
    return locked


def link_participant_join(*, deliberation: Deliberation) -> tuple[Participant, str]:
    """A new link participant and the key their cookie will keep (returned once, never stored)."""
    raw_key = secrets.token_urlsafe(32)
    participant = participant_make(
        deliberation=deliberation, kind=Participant.Kind.LINK, key=key_digest(raw_key)
    )
    return participant, raw_key


@transaction.atomic
def link_vote_cast(*, statement: Statement, participant: Participant | None, value: str) -> tuple[Vote, str]:
    """A link participant's vote (the first one makes the participant: its key is returned, else
    ""). Who holds a working link was checked by the caller."""
    require_open(statement.deliberation)
    made: list[str] = []

    def voter() -> Participant:
        if participant is not None:
            return participant
        found, raw_key = link_participant_join(deliberation=statement.deliberation)
        made.append(raw_key)
        return found

    vote = vote_record(statement=statement, participant=voter, value=value)
    return vote, "".join(made)


@transaction.atomic
def link_statement_add(
    *, deliberation: Deliberation, participant: Participant | None, text: str, language: str = ""
) -> tuple[Statement, str]:
    """A statement from someone with the link: it always waits for a facilitator."""
    require_open(deliberation)
    if not deliberation.link_statements:
        raise PermissionDenied(_("People with the link vote here; they do not add statements."))
    made: list[str] = []

    def author() -> Participant:
        if participant is not None:
            return participant
        found, raw_key = link_participant_join(deliberation=deliberation)
        made.append(raw_key)
        return found

    statement = statement_write(
        deliberation=deliberation, author=author, text=text, language=language, waits=True
    )
    return statement, "".join(made)


@transaction.atomic
def link_participation_erase(*, participant: Participant) -> int:
    """Erase a link participant (``participation_erase``): their votes, their statements still
    waiting, and their place. Returns the votes erased; works on a closed deliberation too."""
    if participant.kind != Participant.Kind.LINK:
        raise PermissionDenied()
    return participation_erase(participant=participant)
