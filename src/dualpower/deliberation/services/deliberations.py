"""The members' deliberation: opening, statements, votes, moderation, closing, proposals.

Casting a vote never waits for the opinion map: it records the vote, moves ``votes_seen`` on, and
after the commit asks the worker for a new map (``tasks.map_refresh``), which reads the votes as
they are then. Votes that arrive while a map is computed are counted by the next one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.assemblies.services import proposals as assembly_proposals
from dualpower.clean import clean_choice, clean_text
from dualpower.community.services import audit_record
from dualpower.deliberation import publishing, tasks
from dualpower.deliberation.models import (
    DESCRIPTION_MAX,
    QUESTION_MAX,
    REASON_MAX,
    STATEMENT_MAX,
    Deliberation,
    Participant,
    StartedProposal,
    Statement,
    Vote,
)
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership

SEEDS_MAX = 30
# Ask for a new map at least every this many votes, even while one is being computed.
REFRESH_EVERY = 25
VOTE_VALUES = {"agree": Vote.Value.AGREE, "disagree": Vote.Value.DISAGREE, "pass": Vote.Value.PASS}


def statement_text(text: object, *, field: str = "text") -> str:
    return clean_text(text, field=field, label=_("A statement"), limit=STATEMENT_MAX, required=True)


def require_open(deliberation: Deliberation) -> None:
    if not deliberation.is_open:
        raise Conflict(_("This deliberation is closed: its map stays as it was."))


def _require_voter(deliberation: Deliberation, by: Membership) -> None:
    if not bodies.is_voter(deliberation.assembly, by):
        raise PermissionDenied(_("Only the people who vote in this assembly take part in its deliberations."))


@transaction.atomic
def deliberation_open(
    *,
    assembly: Assembly,
    by: Membership,
    question: str,
    description: str = "",
    moderation: str = Deliberation.Moderation.AFTER,
    seeds: Sequence[str] = (),
) -> Deliberation:
    """Put a question to the assembly, with seed statements to start the voting."""
    if assembly.is_archived:
        raise Conflict(_("This assembly is archived."))
    question = clean_text(
        question, field="question", label=_("The question"), limit=QUESTION_MAX, required=True
    )
    description = clean_text(
        description, field="description", label=_("The background"), limit=DESCRIPTION_MAX
    )
    moderation = clean_choice(moderation, Deliberation.Moderation, field="moderation")
    texts = [statement_text(seed, field="seeds") for seed in seeds if str(seed).strip()]
    if len(texts) > SEEDS_MAX:
        raise InvalidInput(_("At most %(n)d seed statements.") % {"n": SEEDS_MAX}, field="seeds")
    if len({t.casefold() for t in texts}) < len(texts):
        raise InvalidInput(_("Two seed statements say the same thing."), field="seeds")
    deliberation = Deliberation.objects.create(
        community=assembly.community,
        assembly=assembly,
        question=question,
        description=description,
        moderation=moderation,
        opened_by=by,
    )
    Statement.objects.bulk_create(
        Statement(deliberation=deliberation, number=n, text=text, is_seed=True)
        for n, text in enumerate(texts, start=1)
    )
    audit_record(
        community=assembly.community,
        actor=by,
        action="deliberation.open",
        target=deliberation,
        summary=question,
    )
    return deliberation


def participant_for(*, deliberation: Deliberation, membership: Membership) -> Participant:
    """``membership``'s place in the deliberation, made on their first statement or vote."""
    found = Participant.objects.filter(deliberation=deliberation, membership=membership).first()
    if found is not None:
        return found
    return participant_make(deliberation=deliberation, membership=membership)


def participant_make(
    *,
    deliberation: Deliberation,
    membership: Membership | None = None,
    kind: str = Participant.Kind.MEMBER,
    key: str = "",
    peer: str = "",
) -> Participant:
    """A new participant with the next number, or the one already made for the same member or
    key. Numbers are given under the deliberation's row lock: two first votes at once get 1 and 2."""
    locked = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    same = Participant.objects.filter(deliberation=locked)
    same = same.filter(membership=membership) if membership is not None else same.filter(key=key, peer=peer)
    found = same.first()
    if found is not None:
        return found
    number = (Participant.objects.filter(deliberation=locked).aggregate(n=Max("number"))["n"] or 0) + 1
    Deliberation.objects.filter(pk=locked.pk).update(participants_count=F("participants_count") + 1)
    return Participant.objects.create(
        deliberation=locked, membership=membership, kind=kind, key=key, peer=peer, number=number
    )


@transaction.atomic
def statement_add(*, deliberation: Deliberation, by: Membership, text: str, language: str = "") -> Statement:
    """Add a statement; its author agrees with it (as Polis counts it). Under moderation before,
    it waits for a facilitator."""
    require_open(deliberation)
    _require_voter(deliberation, by)
    statement = statement_write(
        deliberation=deliberation,
        author=lambda: participant_for(deliberation=deliberation, membership=by),
        text=text,
        language=language,
        waits=deliberation.moderation == Deliberation.Moderation.BEFORE,
    )
    audit_record(
        community=deliberation.community,
        actor=by,
        action="deliberation.statement_add",
        target=deliberation,
        summary=deliberation.question,
    )
    return statement


def statement_write(
    *,
    deliberation: Deliberation,
    author: Callable[[], Participant],
    text: str,
    language: str,
    waits: bool,
) -> Statement:
    """A new statement and its author's agreement with it, in the caller's transaction (the
    author is made only once the text passed). ``waits``: it waits for a facilitator."""
    text = statement_text(text)
    same = Statement.objects.filter(deliberation=deliberation, text__iexact=text).exclude(
        state=Statement.State.REJECTED
    )
    if same.exists():
        raise Conflict(_("This statement is already there: vote on it instead."), field="text")
    writer = author()
    locked = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    number = (Statement.objects.filter(deliberation=locked).aggregate(n=Max("number"))["n"] or 0) + 1
    statement = Statement.objects.create(
        deliberation=locked,
        number=number,
        text=text,
        language=language[:10],
        author=writer,
        state=Statement.State.PENDING if waits else Statement.State.ACCEPTED,
    )
    _vote_write(statement=statement, participant=writer, value=Vote.Value.AGREE)
    if not waits:
        publishing.deliberation_sync(deliberation=locked)
    return statement


def map_wanted(deliberation_id: int) -> None:
    """Count one more change of the votes, and ask for a new map if this is the first change since
    the stored one (or every ``REFRESH_EVERY``): the job then runs until the map has caught up, so
    a busy evening queues a handful of computations, not one per vote."""
    Deliberation.objects.filter(pk=deliberation_id).update(votes_seen=F("votes_seen") + 1)
    seen, mapped = (
        Deliberation.objects.filter(pk=deliberation_id).values_list("votes_seen", "map_votes").get()
    )
    if mapped == seen - 1 or seen % REFRESH_EVERY == 0:
        transaction.on_commit(lambda: tasks.map_refresh.enqueue(deliberation_id))


def participation_erase(*, participant: Participant) -> int:
    """Erase a participant (in the caller's transaction): their votes, their statements still
    waiting for a facilitator, and the participant itself (statements already shown stay, with no
    author); the map is recomputed as for any change of the votes. Returns the votes erased. Works
    on a closed deliberation too: erasing is always the person's right."""
    deliberation = Deliberation.objects.select_for_update().get(pk=participant.deliberation_id)
    erased, _rows = Vote.objects.filter(participant=participant).delete()
    Statement.objects.filter(author=participant, state=Statement.State.PENDING).delete()
    participant.delete()
    Deliberation.objects.filter(pk=deliberation.pk).update(participants_count=F("participants_count") - 1)
    map_wanted(deliberation.pk)
    return erased


def _vote_write(*, statement: Statement, participant: Participant, value: int) -> Vote:
    vote, _made = Vote.objects.update_or_create(
        statement=statement, participant=participant, defaults={"value": value}
    )
    map_wanted(statement.deliberation_id)
    return vote


@transaction.atomic
def vote_cast(*, statement: Statement, by: Membership, value: str) -> Vote:
    """Agree, disagree or pass on a statement; a later vote replaces the earlier one."""
    require_open(statement.deliberation)
    _require_voter(statement.deliberation, by)
    return vote_record(
        statement=statement,
        participant=lambda: participant_for(deliberation=statement.deliberation, membership=by),
        value=value,
    )


def vote_record(*, statement: Statement, participant: Callable[[], Participant], value: str) -> Vote:
    """The vote of the participant ``participant()`` gives (made only once the vote is valid), in
    the caller's transaction: whoever casts it was checked by the caller."""
    choice = clean_choice(value, list(VOTE_VALUES), field="value")
    current = Statement.objects.select_for_update().get(pk=statement.pk)
    if current.state != Statement.State.ACCEPTED:
        raise Conflict(
            _("This statement was taken out by the facilitators or waits for them: it takes no votes.")
        )
    voter = participant()
    try:
        with transaction.atomic():
            return _vote_write(statement=current, participant=voter, value=VOTE_VALUES[choice])
    except IntegrityError:  # the same person's two taps at once: the second replaces the first
        return _vote_write(statement=current, participant=voter, value=VOTE_VALUES[choice])


@transaction.atomic
def statement_moderate(
    *,
    statement: Statement,
    by: Membership,
    decision: str,
    reason: str = "",
    duplicate_of: Statement | None = None,
    now: datetime | None = None,
) -> Statement:
    """A facilitator shows a statement, takes it out with a reason, or marks it a duplicate of
    another (taken out, its reason pointing to the one kept). Votes on a statement taken out stay
    stored but leave the map."""
    decision = clean_choice(decision, ["accept", "reject", "duplicate"], field="decision")
    current = Statement.objects.select_for_update().get(pk=statement.pk)
    if decision == "accept":
        current.state, current.reason, current.duplicate_of = Statement.State.ACCEPTED, "", None
    elif decision == "reject":
        current.reason = clean_text(
            reason, field="reason", label=_("The reason"), limit=REASON_MAX, required=True
        )
        current.state, current.duplicate_of = Statement.State.REJECTED, None
    else:
        if (
            duplicate_of is None
            or duplicate_of.deliberation_id != current.deliberation_id
            or duplicate_of.pk == current.pk
        ):
            raise InvalidInput(_("Choose the statement this one repeats."), field="duplicate_of")
        if duplicate_of.state != Statement.State.ACCEPTED:
            raise Conflict(_("The statement it repeats must be shown itself."), field="duplicate_of")
        current.state, current.duplicate_of = Statement.State.REJECTED, duplicate_of
        current.reason = _("Says the same as statement %(n)d.") % {"n": duplicate_of.number}
    current.moderated_at = now or timezone.now()
    current.save(update_fields=["state", "reason", "duplicate_of", "moderated_at"])
    map_wanted(current.deliberation_id)
    publishing.deliberation_sync(deliberation=current.deliberation)
    audit_record(
        community=current.deliberation.community,
        actor=by,
        action=f"deliberation.statement_{decision}",
        target=current.deliberation,
        summary=current.text,
    )
    return current


@transaction.atomic
def deliberation_close(
    *, deliberation: Deliberation, by: Membership, now: datetime | None = None
) -> Deliberation:
    locked = Deliberation.objects.select_for_update().get(pk=deliberation.pk)
    require_open(locked)
    locked.state, locked.closed_at = Deliberation.State.CLOSED, now or timezone.now()
    locked.save(update_fields=["state", "closed_at"])
    publishing.deliberation_sync(deliberation=locked)
    audit_record(
        community=locked.community,
        actor=by,
        action="deliberation.close",
        target=locked,
        summary=locked.question,
    )
    return locked


@transaction.atomic
def proposal_start(
    *,
    deliberation: Deliberation,
    by: Membership,
    statements: Sequence[Statement],
    title: str,
    body: str,
) -> Proposal:
    """Put a proposal to the deliberation's assembly, started from the chosen statements; it is
    decided under the assembly's policy like any other, and links back here."""
    if not statements:
        raise InvalidInput(_("Choose at least one statement to start from."), field="statements")
    if any(s.deliberation_id != deliberation.pk or s.state != Statement.State.ACCEPTED for s in statements):
        raise InvalidInput(_("Choose statements shown in this deliberation."), field="statements")
    proposal = assembly_proposals.proposal_create(
        assembly=deliberation.assembly, by=by, title=title, body=body
    )
    StartedProposal.objects.create(
        deliberation=deliberation, proposal=proposal, statements=sorted(s.number for s in statements)
    )
    audit_record(
        community=deliberation.community,
        actor=by,
        action="deliberation.proposal_start",
        target=deliberation,
        summary=proposal.title,
    )
    return proposal
