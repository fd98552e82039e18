"""The life of a proposal: draft → discussion → voting (closing is in outcomes.py), or withdrawn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.assemblies import actions as action_registry
from dualpower.assemblies import processes
from dualpower.assemblies.models import Assembly, Proposal, ProposalAction, ProposalOption
from dualpower.assemblies.selectors import may_propose
from dualpower.assemblies.services._common import (
    BODY_MAX,
    MAX_ACTIONS,
    MAX_OPTIONS,
    TITLE_MAX,
    S,
    _is_author_or_coordinator,
    _locked,
    _notify_vote_open,
    _require_voter,
)
from dualpower.assemblies.services.ballot_box import ballot_box_discard
from dualpower.clean import clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership


def _clean_options(process: processes.Process, options: Any, community: Community) -> list[dict[str, Any]]:
    if not process.has_options:
        if options:
            raise InvalidInput(_("This decision process has no options to choose from."), field="options")
        return []
    if not isinstance(options, list | tuple):
        raise InvalidInput(_("List the options to choose from."), field="options")
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for raw in options:
        item = raw if isinstance(raw, dict) else {"label": raw}
        membership = None
        if item.get("membership") not in (None, ""):
            membership = member_selectors.membership_find(
                community=community,
                pk=clean_int(item["membership"], field="options", label=_("A candidate")),
                active=True,
            )
            if membership is None:
                raise InvalidInput(
                    _("A candidate must be an active member of this community."), field="options"
                )
        starts_at = item.get("starts_at")
        if process.shape == "time":
            if isinstance(starts_at, str):
                from django.utils.dateparse import parse_datetime

                starts_at = parse_datetime(starts_at)
            if not isinstance(starts_at, datetime):
                raise InvalidInput(_("Each option of a time poll needs a date and time."), field="options")
            if timezone.is_naive(starts_at):
                starts_at = timezone.make_aware(starts_at)
        label = str(item.get("label") or "").strip()
        if not label and membership is not None:
            label = membership.display_name
        if not label and starts_at is not None:
            label = timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
        if not label:
            continue
        if len(label) > 200:
            raise InvalidInput(_("An option has at most 200 characters."), field="options")
        if label.lower() in seen:
            raise InvalidInput(
                _("Each option may be listed only once: “%(o)s”.") % {"o": label}, field="options"
            )
        seen.add(label.lower())
        clean.append({"label": label, "membership": membership, "starts_at": starts_at})
    if len(clean) < 2:
        raise InvalidInput(_("Give at least two options to choose from."), field="options")
    if len(clean) > MAX_OPTIONS:
        raise InvalidInput(_("At most %(n)d options.") % {"n": MAX_OPTIONS}, field="options")
    return clean


def clean_actions(community: Community, raw: object) -> list[dict[str, Any]]:
    """Validate the actions a proposal carries, as it is put forward."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list | tuple):
        raise InvalidInput(_("Actions are a list."), field="actions")
    if len(raw) > MAX_ACTIONS:
        raise InvalidInput(_("At most %(n)d actions.") % {"n": MAX_ACTIONS}, field="actions")
    clean = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("params", {}), dict):
            raise InvalidInput(_("Each action has a kind and its details."), field="actions")
        kind = action_registry.get(str(item.get("kind", "")))
        params = kind.validate(community, dict(item.get("params") or {}))
        description = kind.describe(community, params) if kind.describe else str(kind.label)
        clean.append({"kind": kind.key, "params": params, "description": str(description)[:500]})
    return clean


@transaction.atomic
def proposal_create(
    *,
    assembly: Assembly,
    by: Membership | None,
    title: str,
    body: str = "",
    process: str = "",
    voting_mode: str = Proposal.VotingMode.ONLINE,
    topic: str = "",
    seats: int | str = 1,
    dots: int | str = 0,
    options: Sequence[str | Mapping[str, object]] = (),
    actions: Sequence[Mapping[str, object]] = (),
    draft: bool = False,
    now: datetime | None = None,
) -> Proposal:
    """Put a proposal forward (or keep it as a draft). Discussion and voting follow the policy."""
    if not may_propose(assembly, by):
        _require_voter(assembly, by)
        raise PermissionDenied(_("In this assembly only coordinators put proposals forward."))
    assert by is not None
    if assembly.is_archived:
        raise Conflict(_("This assembly is archived."))
    policy = assembly.policy
    title = clean_text(title, field="title", label=_("A proposal's title"), limit=TITLE_MAX, required=True)
    body = clean_text(body, field="body", label=_("The text"), limit=BODY_MAX)
    proc = processes.get(process or policy.default_process)
    if voting_mode not in Proposal.VotingMode.values:
        raise InvalidInput(_("Choose online or in the room."), field="voting_mode")
    if voting_mode == Proposal.VotingMode.ROOM and proc.rule is None:
        raise InvalidInput(_("Only yes-or-no decisions can be counted in the room."), field="voting_mode")
    seats_n = clean_int(seats or 1, field="seats", label=_("The number of places"))
    if seats_n < 1 or (seats_n > 1 and not proc.multi_winner):
        raise InvalidInput(_("This process chooses one option."), field="seats")
    dots_n = clean_int(dots or 0, field="dots", label=_("The number of dots"))
    if proc.shape == "dots" and not 1 <= dots_n <= 20:
        raise InvalidInput(_("Give each member between 1 and 20 dots."), field="dots")
    if proc.shape != "dots":
        dots_n = 0
    clean_opts = _clean_options(proc, list(options or []), assembly.community)
    if seats_n > max(1, len(clean_opts)):
        raise InvalidInput(_("There cannot be more places than options."), field="seats")
    clean_acts = clean_actions(assembly.community, list(actions or []))
    topic = slugify(str(topic or ""))[:60]
    proposal = Proposal.objects.create(
        assembly=assembly,
        author=by,
        title=title,
        body=body,
        process=proc.key,
        voting_mode=voting_mode,
        topic=topic,
        seats=seats_n,
        dots=dots_n,
        is_secret=policy.secret_ballots,
    )
    for i, opt in enumerate(clean_opts):
        ProposalOption.objects.create(proposal=proposal, position=i, **opt)
    for i, act in enumerate(clean_acts):
        ProposalAction.objects.create(proposal=proposal, position=i, **act)
    audit_record(
        community=assembly.community, actor=by, action="proposal.create", target=proposal, summary=title
    )
    if not draft:
        _start_discussion(proposal, by=by, now=now or timezone.now())
    return proposal


def _start_discussion(proposal: Proposal, *, by: Membership | None, now: datetime) -> None:
    policy = proposal.assembly.policy
    proposal.state = S.DISCUSSION
    proposal.discussion_closes_at = now + timedelta(days=policy.discussion_days)
    proposal.voting_opens_at = proposal.discussion_closes_at
    proposal.voting_closes_at = proposal.voting_opens_at + timedelta(days=policy.voting_days)
    proposal.save(
        update_fields=["state", "discussion_closes_at", "voting_opens_at", "voting_closes_at", "updated_at"]
    )
    audit_record(
        community=proposal.assembly.community,
        actor=by,
        action="proposal.discussion_open",
        target=proposal,
        summary=proposal.title,
    )
    if policy.discussion_days == 0:
        _open_voting(proposal, by=by, now=now)


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, by: Membership | None, title: str | None = None, body: str | None = None
) -> Proposal:
    """The author edits a draft. Once in discussion the text changes only by amendments."""
    proposal = _locked(proposal)
    if not _is_author_or_coordinator(proposal, by):
        raise PermissionDenied(_("Only the author or a coordinator can change this proposal."))
    if proposal.state != S.DRAFT:
        raise Conflict(_("Once discussion has started the text changes only by amendments."))
    if title is not None:
        proposal.title = clean_text(
            title, field="title", label=_("A proposal's title"), limit=TITLE_MAX, required=True
        )
    if body is not None:
        proposal.body = clean_text(body, field="body", label=_("The text"), limit=BODY_MAX)
    proposal.save(update_fields=["title", "body", "updated_at"])
    audit_record(
        community=proposal.community,
        actor=by,
        action="proposal.update",
        target=proposal,
        summary=proposal.title,
    )
    return proposal


@transaction.atomic
def proposal_start_discussion(
    *, proposal: Proposal, by: Membership | None, now: datetime | None = None
) -> Proposal:
    proposal = _locked(proposal)
    if not _is_author_or_coordinator(proposal, by):
        raise PermissionDenied(_("Only the author or a coordinator can put this proposal forward."))
    if proposal.state != S.DRAFT:
        raise Conflict(_("This proposal is not a draft any more."))
    _start_discussion(proposal, by=by, now=now or timezone.now())
    return proposal


@transaction.atomic
def proposal_open_voting(
    *, proposal: Proposal, by: Membership | None, now: datetime | None = None
) -> Proposal:
    """Open the vote (the clock does it when discussion ends; the author or a coordinator may do it early)."""
    proposal = _locked(proposal)
    if by is not None and not _is_author_or_coordinator(proposal, by):
        raise PermissionDenied(_("Only the author or a coordinator can open the vote early."))
    if proposal.state != S.DISCUSSION:
        raise Conflict(_("Only a proposal in discussion can be put to the vote."))
    _open_voting(proposal, by=by, now=now or timezone.now())
    return proposal


def _open_voting(proposal: Proposal, *, by: Membership | None, now: datetime) -> None:
    policy = proposal.assembly.policy
    proposal.state = S.VOTING
    proposal.voting_opens_at = now
    proposal.voting_closes_at = now + timedelta(days=policy.voting_days)
    proposal.is_secret = policy.secret_ballots
    proposal.save(update_fields=["state", "voting_opens_at", "voting_closes_at", "is_secret", "updated_at"])
    audit_record(
        community=proposal.assembly.community,
        actor=by,
        action="proposal.voting_open",
        target=proposal,
        summary=proposal.title,
    )
    _notify_vote_open(proposal)


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by: Membership | None) -> Proposal:
    proposal = _locked(proposal)
    if not _is_author_or_coordinator(proposal, by):
        raise PermissionDenied(_("Only the author or a coordinator can withdraw this proposal."))
    if proposal.state in (S.CLOSED, S.WITHDRAWN):
        raise Conflict(_("This proposal is already decided or withdrawn."))
    proposal.state = S.WITHDRAWN
    proposal.save(update_fields=["state", "updated_at"])
    ballot_box_discard(proposal=proposal)  # sealed ballots never counted: erased with their key
    proposal.actions.filter(status=ProposalAction.Status.PENDING).update(status=ProposalAction.Status.SKIPPED)
    audit_record(
        community=proposal.community,
        actor=by,
        action="proposal.withdraw",
        target=proposal,
        summary=proposal.title,
    )
    return proposal
