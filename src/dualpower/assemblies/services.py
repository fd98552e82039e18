"""Writes for assemblies and the life of a proposal. Every write is a keyword-only verb in one transaction.

Draft → discussion (comments, amendments) → voting → closed, or withdrawn. Votes are in
voting.py, closing and outcomes (and the actions a decision runs) in closing.py; they are
re-exported here so other apps need only ``assemblies.services``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.assemblies import actions as action_registry
from dualpower.assemblies import bodies, notify, processes
from dualpower.assemblies.models import (
    Amendment,
    Assembly,
    Comment,
    Policy,
    Proposal,
    ProposalAction,
    ProposalOption,
)
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership

TITLE_MAX = 200
BODY_MAX = 20000
COMMENT_MAX = 5000
MAX_OPTIONS = 50
MAX_ACTIONS = 20
S = Proposal.State


@transaction.atomic
def assembly_create(
    *,
    community: Community,
    name: str,
    kind: str = Assembly.Kind.GENERAL,
    slug: str = "",
    description: str = "",
    working_group: Any = None,
    actor: Any = None,
    policy: dict[str, Any] | None = None,
) -> Assembly:
    """Create a deciding body with its policy (defaults unless ``policy`` gives fields)."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("An assembly needs a name."), field="name")
    if kind not in Assembly.Kind.values:
        raise InvalidInput(_("Unknown kind of assembly."), field="kind")
    if (kind == Assembly.Kind.WORKING_GROUP) != (working_group is not None):
        raise InvalidInput(_("A working group's assembly must name its group."), field="working_group")
    if working_group is not None and working_group.community_id != community.pk:
        raise InvalidInput(_("That working group belongs to another community."), field="working_group")
    slug = slugify(slug or name)[:60]
    if not slug:
        raise InvalidInput(_("Choose a short name made of letters or digits."), field="slug")
    if Assembly.objects.filter(community=community, slug=slug).exists():
        raise InvalidInput(_("An assembly with that short name already exists."), field="slug")
    assembly = Assembly.objects.create(
        community=community,
        name=name,
        slug=slug,
        kind=kind,
        description=description,
        working_group=working_group,
    )
    known = {f.name for f in Policy._meta.get_fields()} - {"id", "assembly", "updated_at"}
    unknown = set(policy or {}) - known
    if unknown:
        raise InvalidInput(
            _("Unknown policy setting: %(s)s.") % {"s": ", ".join(sorted(unknown))}, field="policy"
        )
    if policy and "default_process" in policy:
        processes.get(policy["default_process"])
    Policy.objects.create(assembly=assembly, **(policy or {}))
    audit_record(community=community, actor=actor, action="assembly.create", target=assembly, summary=name)
    return assembly


@transaction.atomic
def general_assembly_for(community: Community) -> Assembly:
    """The general assembly of all members, created on first use."""
    found = Assembly.objects.filter(community=community, kind=Assembly.Kind.GENERAL).order_by("id").first()
    if found is not None:
        return found
    return assembly_create(
        community=community, name=_("General assembly"), slug="general", kind=Assembly.Kind.GENERAL
    )


# --- proposals --------------------------------------------------------------------------------


def _text(value: Any, *, field: str, max_length: int, required: str = "") -> str:
    text = str(value if value is not None else "").strip()
    if required and not text:
        raise InvalidInput(required, field=field)
    if len(text) > max_length:
        raise InvalidInput(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return text


def _require_voter(assembly: Assembly, by: Membership | None) -> Membership:
    if by is None or by.community_id != assembly.community_id or not bodies.is_voter(assembly, by):
        raise PermissionDenied(_("Only members of this assembly can do this."))
    return by


def may_propose(assembly: Assembly, by: Membership | None) -> bool:
    if by is None or not bodies.is_voter(assembly, by):
        return False
    if assembly.policy.who_may_propose == Policy.Proposers.COORDINATORS:
        return by.role == Membership.Role.COORDINATOR
    return True


def _is_author_or_coordinator(proposal: Proposal, by: Membership | None) -> bool:
    if by is None or by.community_id != proposal.assembly.community_id or not by.is_active:
        return False
    return proposal.author_id == by.pk or by.role == Membership.Role.COORDINATOR


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
            membership = Membership.objects.filter(
                pk=_int(item["membership"], field="options"),
                community=community,
                status=Membership.Status.ACTIVE,
            ).first()
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


def _int(value: Any, *, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("Give a whole number."), field=field) from None


def clean_actions(community: Community, raw: Any) -> list[dict[str, Any]]:
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
    seats: Any = 1,
    dots: Any = 0,
    options: Any = (),
    actions: Any = (),
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
    title = _text(title, field="title", max_length=TITLE_MAX, required=_("A proposal needs a title."))
    body = _text(body, field="body", max_length=BODY_MAX)
    proc = processes.get(process or policy.default_process)
    if voting_mode not in Proposal.VotingMode.values:
        raise InvalidInput(_("Choose online or in the room."), field="voting_mode")
    if voting_mode == Proposal.VotingMode.ROOM and proc.rule is None:
        raise InvalidInput(_("Only yes-or-no decisions can be counted in the room."), field="voting_mode")
    seats_n = _int(seats or 1, field="seats")
    if seats_n < 1 or (seats_n > 1 and not proc.multi_winner):
        raise InvalidInput(_("This process chooses one option."), field="seats")
    dots_n = _int(dots or 0, field="dots")
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


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("assembly__policy", "assembly__community")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, by: Membership | None, title: Any = None, body: Any = None
) -> Proposal:
    """The author edits a draft. Once in discussion the text changes only by amendments."""
    proposal = _locked(proposal)
    if not _is_author_or_coordinator(proposal, by):
        raise PermissionDenied(_("Only the author or a coordinator can change this proposal."))
    if proposal.state != S.DRAFT:
        raise Conflict(_("Once discussion has started the text changes only by amendments."))
    if title is not None:
        proposal.title = _text(
            title, field="title", max_length=TITLE_MAX, required=_("A proposal needs a title.")
        )
    if body is not None:
        proposal.body = _text(body, field="body", max_length=BODY_MAX)
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


def _notify_vote_open(proposal: Proposal) -> None:
    if proposal.voting_mode == Proposal.VotingMode.ONLINE:
        notify.send(
            recipients=list(bodies.voters_of(proposal.assembly)),
            community=proposal.assembly.community,
            kind="assemblies.vote_open",
            title=_("A vote is open in %(a)s") % {"a": proposal.assembly.name},
            body=_("Your vote is welcome until %(d)s.")
            % {"d": timezone.localtime(proposal.voting_closes_at).strftime("%Y-%m-%d %H:%M")},
            url=proposal.get_absolute_url(),
        )


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
    proposal.actions.filter(status=ProposalAction.Status.PENDING).update(status=ProposalAction.Status.SKIPPED)
    audit_record(
        community=proposal.community,
        actor=by,
        action="proposal.withdraw",
        target=proposal,
        summary=proposal.title,
    )
    return proposal


# --- discussion -------------------------------------------------------------------------------


def may_speak(assembly: Assembly, by: Membership | None) -> bool:
    """Voters and observers of the assembly take part in discussion."""
    if by is None or by.community_id != assembly.community_id or not by.is_active:
        return False
    return bodies.is_voter(assembly, by) or bodies.observers_of(assembly).filter(pk=by.pk).exists()


@transaction.atomic
def comment_add(*, proposal: Proposal, by: Membership | None, body: Any) -> Comment:
    proposal = _locked(proposal)
    if not may_speak(proposal.assembly, by):
        raise PermissionDenied(_("Only members and observers of this assembly can comment."))
    assert by is not None
    if proposal.state not in (S.DISCUSSION, S.VOTING):
        raise Conflict(_("Comments are open during discussion and voting."))
    text = _text(body, field="body", max_length=COMMENT_MAX, required=_("Write a comment first."))
    comment = Comment.objects.create(proposal=proposal, author=by, body=text)
    audit_record(
        community=proposal.community,
        actor=by,
        action="proposal.comment",
        target=proposal,
        summary=proposal.title,
    )
    return comment


@transaction.atomic
def amendment_propose(*, proposal: Proposal, by: Membership | None, body: Any, reason: Any = "") -> Amendment:
    proposal = _locked(proposal)
    _require_voter(proposal.assembly, by)
    if proposal.state != S.DISCUSSION:
        raise Conflict(_("Amendments are made during discussion."))
    text = _text(body, field="body", max_length=BODY_MAX, required=_("Write the amended text."))
    if text == proposal.body.strip():
        raise InvalidInput(_("The amended text is the same as the proposal."), field="body")
    amendment = Amendment.objects.create(
        proposal=proposal, author=by, body=text, reason=_text(reason, field="reason", max_length=1000)
    )
    audit_record(
        community=proposal.community,
        actor=by,
        action="amendment.propose",
        target=proposal,
        summary=proposal.title,
    )
    return amendment


def _locked_amendment(amendment: Amendment) -> Amendment:
    found = Amendment.objects.select_for_update(of=("self",)).select_related("proposal").get(pk=amendment.pk)
    found.proposal = _locked(found.proposal)
    if found.state != Amendment.State.OPEN:
        raise Conflict(_("This amendment has already been answered."))
    if found.proposal.state != S.DISCUSSION:
        raise Conflict(_("Amendments are answered during discussion."))
    return found


@transaction.atomic
def amendment_accept(*, amendment: Amendment, by: Membership | None) -> Amendment:
    """The author takes the amended text into the proposal."""
    amendment = _locked_amendment(amendment)
    proposal = amendment.proposal
    if by is None or proposal.author_id != by.pk:
        raise PermissionDenied(_("Only the proposal's author accepts amendments."))
    proposal.body = amendment.body
    proposal.save(update_fields=["body", "updated_at"])
    amendment.state = Amendment.State.ACCEPTED
    amendment.save(update_fields=["state"])
    audit_record(
        community=proposal.community,
        actor=by,
        action="amendment.accept",
        target=proposal,
        summary=proposal.title,
    )
    return amendment


@transaction.atomic
def amendment_decline(*, amendment: Amendment, by: Membership | None, to_vote: bool = False) -> Amendment:
    """The author declines an amendment; with ``to_vote`` it goes to the assembly as a small proposal.

    The amendment's vote closes when the discussion of the proposal ends; if it passes, the
    amended text replaces the proposal's before the proposal itself is voted on.
    """
    amendment = _locked_amendment(amendment)
    proposal = amendment.proposal
    if by is None or proposal.author_id != by.pk:
        raise PermissionDenied(_("Only the proposal's author answers amendments."))
    amendment.state = Amendment.State.TO_VOTE if to_vote else Amendment.State.DECLINED
    if to_vote:
        now = timezone.now()
        closes = proposal.discussion_closes_at
        if closes is None or closes <= now + timedelta(hours=1):
            closes = now + timedelta(days=max(1, proposal.assembly.policy.voting_days))
        vote = Proposal.objects.create(
            assembly=proposal.assembly,
            author=amendment.author,
            title=_("Amendment to “%(t)s”") % {"t": proposal.title[:150]},
            body=amendment.body,
            process="majority",
            state=S.VOTING,
            is_secret=proposal.assembly.policy.secret_ballots,
            amends=proposal,
            topic=proposal.topic,
            voting_opens_at=now,
            voting_closes_at=closes,
        )
        amendment.vote = vote
        _notify_vote_open(vote)
    amendment.save(update_fields=["state", "vote"])
    audit_record(
        community=proposal.community,
        actor=by,
        action="amendment.to_vote" if to_vote else "amendment.decline",
        target=proposal,
        summary=proposal.title,
    )
    return amendment


from dualpower.assemblies.closing import advice_decide, proposal_close  # noqa: E402
from dualpower.assemblies.voting import (  # noqa: E402
    delegation_remove,
    delegation_set,
    vote_cast,
    vote_retract,
)

__all__ = [
    "advice_decide",
    "amendment_accept",
    "amendment_decline",
    "amendment_propose",
    "assembly_create",
    "comment_add",
    "delegation_remove",
    "delegation_set",
    "general_assembly_for",
    "proposal_close",
    "proposal_create",
    "proposal_open_voting",
    "proposal_start_discussion",
    "proposal_update",
    "proposal_withdraw",
    "vote_cast",
    "vote_retract",
]
