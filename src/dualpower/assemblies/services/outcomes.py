"""Closing a vote: the count, the outcome record, and the actions a decision carries out.

The outcome and the actions are written in one transaction. The actions run inside a savepoint:
if one fails, every change they made is rolled back, and the failure is recorded on the outcome
(outside the savepoint) so the assembly sees what went wrong and nothing is half done.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies import actions as action_registry
from dualpower.assemblies import bodies, counting, names, notify, processes, sittings, sources
from dualpower.assemblies.models import Amendment, Ballot, Outcome, Proposal, ProposalAction, Vote
from dualpower.assemblies.selectors import everyone_voted
from dualpower.assemblies.services.ballot_box import ballot_box_open
from dualpower.assemblies.services.delegations import resolve_weights
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, DomainError, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.notifications.text import text as notice_text

log = logging.getLogger(__name__)
S = Proposal.State
CLOSE_REASON_MAX = 1000


def _tallied(rows: QuerySet[Any], process: processes.Process) -> list[counting.Entry]:
    """The ballots in ``rows`` (votes or secret ballots) as the count reads them, in one query.

    A rule that reads positions only (consent, majority, advice...) gets one entry per position
    with the number of ballots that took it (counted by the database); polls and elections one
    entry per ballot, read as plain values (no model objects).
    """
    if process.shape in ("positions", "advice"):
        grouped = rows.order_by("position").values_list("position").annotate(n=Count("pk"))
        return [counting.Entry(position=position, weight=n) for position, n in grouped]
    return [
        counting.Entry(position=position, choices=choices)
        for position, choices in rows.order_by().values_list("position", "choices")
    ]


def _secret_entries(proposal: Proposal, process: processes.Process) -> list[counting.Entry]:
    """The secret ballots to count: what was voted, nothing about who."""
    return _tallied(Ballot.objects.filter(proposal=proposal), process)


def _entries(
    proposal: Proposal,
    process: processes.Process,
    voters: QuerySet[Membership],
    found: list[sources.OutsideCount],
) -> tuple[list[counting.Entry], dict[int, int], str, str]:
    """The ballots to count, the delegated weight, where they came from and a link.

    A fixed number of queries however many voted: the votes of the eligible are read (or counted
    by position) in one, with ``voters`` as a subquery; with liquid delegation, who is eligible and
    who delegates to whom in one each.
    """
    if proposal.voting_mode == Proposal.VotingMode.ROOM:
        entries = [
            counting.Entry(position=position, weight=int(n))
            for source in found
            for position, n in source.counts.items()
            if int(n) > 0
        ]
        link = next((s.link for s in found if s.link), "")
        return entries, {}, "room", link
    if proposal.is_secret:
        return _secret_entries(proposal, process), {}, "online", ""
    votes = Vote.objects.filter(proposal=proposal, voter_id__in=voters.values("pk"))
    if not proposal.assembly.policy.liquid_delegation:
        return _tallied(votes, process), {}, "online", ""
    rows = list(votes.order_by().values_list("voter_id", "position", "choices"))
    eligible = set(voters.values_list("pk", flat=True))
    extra = resolve_weights(proposal, eligible, {v for v, _p, _c in rows})
    entries = [counting.Entry(position=p, choices=c, weight=1 + extra.get(v, 0)) for v, p, c in rows]
    return entries, extra, "online", ""


def _room_description(found: list[sources.OutsideCount]) -> str:
    return " ".join(s.description for s in found if s.description)


@transaction.atomic
def proposal_close(*, proposal: Proposal, now: datetime | None = None) -> Outcome:
    """Count the votes, record the outcome and, if it passed, carry out its actions."""
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("assembly__policy", "assembly__community")
        .get(pk=proposal.pk)
    )
    if proposal.state != S.VOTING:
        raise Conflict(_("Only an open vote can be closed."))
    if proposal.is_secret:  # sealed ballots opened, shuffled under fresh keys, key deleted on commit
        ballot_box_open(proposal=proposal)
    policy = proposal.assembly.policy
    process = processes.get(proposal.process)
    voters = bodies.voters_of(proposal.assembly)
    eligible = voters.count()
    found = sources.counts_for(proposal) if proposal.voting_mode == Proposal.VotingMode.ROOM else []
    entries, extra, source, link = _entries(proposal, process, voters, found)
    link = link or sittings.link_for(proposal)
    options = list(proposal.options.values_list("pk", "label", "membership_id"))
    try:
        result = counting.count(
            process=process,
            entries=entries,
            eligible=eligible,
            policy=policy,
            options=[(str(pk), label) for pk, label, _m in options],
            seats=proposal.seats,
            seed=proposal.pk,
        )
    except ValueError as exc:  # e.g. a room count with more hands than eligible members
        result = counting.Count(
            passed=False,
            rule={"kind": process.key},
            tally={"error": str(exc)},
            participants=sum(e.weight for e in entries),
            quorum_needed=None,
            quorum_met=None,
            statement=_("No result: the count could not be made (%(e)s).") % {"e": exc},
        )
    statement = result.statement
    room = _room_description(found)
    if room:
        statement = f"{statement} {room}"
    by_id = {str(pk): (label, m) for pk, label, m in options}
    winners = [by_id[w][0] for w in result.winners if w in by_id]
    elected = [by_id[w][1] for w in result.winners if w in by_id and by_id[w][1] is not None]
    outcome = Outcome.objects.create(
        proposal=proposal,
        passed=result.passed,
        process=process.key,
        rule=result.rule,
        tally=result.tally,
        eligible=eligible,
        participants=result.participants,
        quorum_needed=result.quorum_needed,
        quorum_met=result.quorum_met,
        statement=statement,
        winners=winners,
        elected_memberships=elected,
        delegated_weight={str(k): v for k, v in extra.items()},
        source=source,
        link=link,
        decided_at=now,
        actions_status=Outcome.ActionsStatus.NONE,
    )
    proposal.state = S.CLOSED
    proposal.save(update_fields=["state", "updated_at"])
    audit_record(
        community=proposal.assembly.community,
        actor=None,
        action="proposal.close",
        target=proposal,
        summary=proposal.title,
        data={"passed": result.passed, "participants": result.participants},
        decision_ref=action_registry.decision_ref(proposal.pk),
    )
    if proposal.amends_id and result.passed:
        _apply_amendment(proposal)
    elif proposal.amends_id:
        Amendment.objects.filter(vote=proposal).update(state=Amendment.State.DECLINED)
    if result.passed is not None:
        _carry_out(proposal, outcome, passed=bool(result.passed))
    _notify_outcome(proposal)
    return outcome


@transaction.atomic
def proposal_close_early(
    *, proposal: Proposal, by: Membership | None, reason: str = "", now: datetime | None = None
) -> Outcome:
    """Close an open vote before its time, through ``proposal_close`` (the one way a vote closes).

    Two cases. When every eligible voter has voted, the author or a coordinator may close it at
    once, reason optional (the clock does not: a voter may still change their vote until the
    announced closing time unless someone who steers the vote closes it). Before that, only a
    coordinator may close it, only if the assembly's policy permits early closing, and only with a
    reason; the reason is kept in the audit log.
    """
    now = now or timezone.now()
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("assembly__policy", "assembly__community")
        .get(pk=proposal.pk)
    )
    if proposal.state in (S.CLOSED, S.WITHDRAWN):
        raise Conflict(_("This vote is already closed."))
    if proposal.state != S.VOTING:
        raise Conflict(_("Only an open vote can be closed: the vote has not opened yet."))
    community = proposal.assembly.community
    if by is None or by.community_id != community.pk or not by.is_active:
        raise PermissionDenied(_("Only the author or a coordinator can close this vote."))
    is_coordinator = by.role == Membership.Role.COORDINATOR and bodies.is_voter(proposal.assembly, by)
    if proposal.author_id != by.pk and not is_coordinator:
        raise PermissionDenied(_("Only the author or a coordinator can close this vote."))
    text = str(reason or "").strip()
    if len(text) > CLOSE_REASON_MAX:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": CLOSE_REASON_MAX}, field="reason")
    complete = everyone_voted(proposal)
    if not complete:
        if not proposal.assembly.policy.early_close:
            raise PermissionDenied(
                _(
                    "This assembly's policy does not allow closing a vote early: it closes when "
                    "everyone has voted or when its time is up."
                )
            )
        if not is_coordinator:
            raise PermissionDenied(_("Only a coordinator can close a vote before everyone has voted."))
        if not text:
            raise InvalidInput(
                _("Say why the vote closes early: the reason is kept in the audit log."), field="reason"
            )
    audit_record(
        community=community,
        actor=by,
        action="proposal.close_early",
        target=proposal,
        summary=(text or proposal.title)[:300],
        data={"everyone_voted": complete, "reason": text},
        decision_ref=action_registry.decision_ref(proposal.pk),
    )
    return proposal_close(proposal=proposal, now=now)


def _apply_amendment(vote: Proposal) -> None:
    """An amendment that passed its own vote replaces the text of the proposal it amends."""
    assert vote.amends_id is not None  # called for the vote on an amendment only
    parent = Proposal.objects.select_for_update(of=("self",)).get(pk=vote.amends_id)
    Amendment.objects.filter(vote=vote).update(state=Amendment.State.ACCEPTED)
    if parent.state in (S.DRAFT, S.DISCUSSION):
        parent.body = vote.body
        parent.save(update_fields=["body", "updated_at"])
        audit_record(
            community=parent.assembly.community,
            actor=None,
            action="amendment.adopted",
            target=parent,
            summary=parent.title,
            decision_ref=action_registry.decision_ref(vote.pk),
        )


def _carry_out(proposal: Proposal, outcome: Outcome, *, passed: bool) -> None:
    pending = list(proposal.actions.filter(status=ProposalAction.Status.PENDING))
    if not pending:
        return
    if not passed:
        proposal.actions.filter(status=ProposalAction.Status.PENDING).update(
            status=ProposalAction.Status.SKIPPED
        )
        outcome.actions_status = Outcome.ActionsStatus.NOT_RUN
        outcome.save(update_fields=["actions_status"])
        return
    decision = action_registry.Decision(
        ref=action_registry.decision_ref(proposal.pk),
        community=proposal.assembly.community,
        assembly_id=proposal.assembly_id,
        proposal_id=proposal.pk,
        title=proposal.title,
        elected_memberships=tuple(outcome.elected_memberships),
        outcome=outcome.tally,
    )
    # What each action did, kept untranslated with its values (``actions.Result``) so every reader
    # sees it in their language, and as this request's language wrote it (the fallback).
    results: list[tuple[ProposalAction, tuple[dict[str, Any], str]]] = []
    failed: tuple[ProposalAction, action_registry.Result | str] | None = None
    try:
        with transaction.atomic():  # a savepoint: every action, or none
            for act in pending:
                kind = action_registry.get(act.kind)
                try:
                    params = kind.validate(decision.community, act.params)
                    done = kind.run(community=decision.community, params=params, decision=decision)
                    results.append((act, action_registry.result_stored(done)))
                except Exception as exc:
                    failed = (act, _failure_text(exc))
                    raise
    except Exception:
        if failed is None:  # pragma: no cover - the loop records every failure
            raise
        act, reason = failed
        act.result_spec, why = action_registry.result_stored(reason)
        act.status = ProposalAction.Status.FAILED
        act.result = why[:500]
        act.save(update_fields=["status", "result", "result_spec"])
        proposal.actions.filter(status=ProposalAction.Status.PENDING).update(
            status=ProposalAction.Status.SKIPPED
        )
        outcome.actions_status = Outcome.ActionsStatus.FAILED
        outcome.actions_error = (
            _("“%(a)s” failed: %(why)s Nothing was changed.") % {"a": act.description or act.kind, "why": why}
        )[:1000]
        outcome.save(update_fields=["actions_status", "actions_error"])
        audit_record(
            community=decision.community,
            actor=None,
            action="proposal.actions_failed",
            target=proposal,
            summary=outcome.actions_error[:300],
            decision_ref=decision.ref,
        )
        return
    for act, (spec, summary) in results:
        act.status = ProposalAction.Status.DONE
        act.result, act.result_spec = summary[:500], spec
        act.save(update_fields=["status", "result", "result_spec"])
    outcome.actions_status = Outcome.ActionsStatus.DONE
    outcome.save(update_fields=["actions_status"])


def _failure_text(exc: Exception) -> action_registry.Result | str:
    """Why an action failed: a refusal's sentence (already worded, in this request's language), or
    an unexpected error kept untranslated so each reader sees it in their language."""
    if isinstance(exc, DomainError):
        return exc.detail
    log.exception("an action of a decision failed")
    return action_registry.result(gettext_lazy("an unexpected error (%(e)s)."), e=type(exc).__name__)


def _notify_outcome(proposal: Proposal) -> None:
    """Everyone who votes in the assembly is told, by a fan-out after the commit (one row here)."""
    notify.tell_voters(
        assembly=proposal.assembly,
        kind="assemblies.outcome",
        title=notice_text(
            gettext_lazy("A proposal was decided in %(a)s"),
            a=names.assembly_name_value(proposal.assembly.name),
        ),
        body=gettext_lazy("See the outcome and what happens next."),
        url=proposal.get_absolute_url(),
    )


@transaction.atomic
def advice_decide(*, proposal: Proposal, by: Membership | None, go_ahead: bool, decision: str) -> Outcome:
    """Advice process: after the advice is in, the author records what they decided and why."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("assembly__community")
        .get(pk=proposal.pk)
    )
    if proposal.process != "advice":
        raise Conflict(_("Only an advice process is decided by its author."))
    if by is None or proposal.author_id != by.pk:
        raise PermissionDenied(_("In the advice process the author decides."))
    outcome = Outcome.objects.select_for_update(of=("self",)).filter(proposal=proposal).first()
    if proposal.state != S.CLOSED or outcome is None:
        raise Conflict(_("Decide once the advice has been collected (when the vote closes)."))
    if outcome.passed is not None:
        raise Conflict(_("The decision has already been recorded."))
    text = str(decision or "").strip()
    if not text:
        raise InvalidInput(_("Say what you decided and why, in a few words."), field="decision")
    if len(text) > 5000:
        raise InvalidInput(_("At most 5000 characters."), field="decision")
    outcome.passed = bool(go_ahead)
    outcome.author_decision = text
    head = _("The author decided to go ahead.") if go_ahead else _("The author decided not to go ahead.")
    outcome.statement = f"{outcome.statement} {head}"
    outcome.save(update_fields=["passed", "author_decision", "statement"])
    audit_record(
        community=proposal.assembly.community,
        actor=by,
        action="proposal.advice_decide",
        target=proposal,
        summary=proposal.title,
        data={"go_ahead": bool(go_ahead)},
        decision_ref=action_registry.decision_ref(proposal.pk),
    )
    _carry_out(proposal, outcome, passed=bool(go_ahead))
    _notify_outcome(proposal)
    return outcome
