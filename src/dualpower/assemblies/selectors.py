"""Reads for assemblies: what is open, what was decided, what waits for whom, and the votes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from dualpower.assemblies import bodies, processes, sittings
from dualpower.assemblies.models import (
    Amendment,
    Assembly,
    Ballot,
    BallotBox,
    Comment,
    Delegation,
    OutcomeStatement,
    Participation,
    Policy,
    Proposal,
    ProposalAction,
    ProposalOption,
    Turnout,
    Vote,
)
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared

S = Proposal.State


def assemblies_for(*, community: Community) -> QuerySet[Assembly]:
    return Assembly.objects.filter(community=community, is_archived=False).select_related(
        "community", "policy"
    )


def assemblies_with_open_counts(*, community: Community) -> list[tuple[Assembly, int]]:
    """The community's assemblies, each with how many of its proposals are open (in discussion or
    voting), in one query."""
    found = (
        assemblies_for(community=community)
        .annotate(open_count=Count("proposals", filter=Q(proposals__state__in=[S.DISCUSSION, S.VOTING])))
        .order_by("name")  # the model's ordering, which a GROUP BY query drops
    )
    return [(a, a.open_count) for a in found]


# Every page of an assembly or a proposal reads these two rows: their SQL is written once per
# process (web/prepared.py), and the community and assembly the caller already holds are set on
# them rather than read again through joins.
_assembly_by_slug = Prepared(
    lambda community, slug: Assembly.objects.filter(
        community_id=community, is_archived=False, slug=slug
    ).select_related("policy")[:1],
    community=int,
    slug=str,
)
_proposal_by_pk = Prepared(
    lambda assembly, pk: Proposal.objects.filter(assembly_id=assembly, pk=pk).select_related(
        "author", "outcome"
    )[:1],
    assembly=int,
    pk=int,
)


def assembly_get(*, community: Community, slug: str) -> Assembly:
    found = _assembly_by_slug(community=community.pk, slug=str(slug))
    if not found:
        raise NotFound(_("There is no assembly with that name here."))
    found[0].community = community
    return found[0]


# A proposal's page reads its proposal and assembly (with its policy) in one query (``proposal_in``).
_proposal_in = Prepared(
    lambda community, slug, pk: Proposal.objects.filter(
        assembly__community_id=community, assembly__is_archived=False, assembly__slug=slug, pk=pk
    ).select_related("assembly__policy", "author", "outcome")[:1],
    community=int,
    slug=str,
    pk=int,
)


def proposal_in(*, community: Community, slug: str, pk: Any) -> Proposal | None:
    """The proposal ``pk`` of ``community``'s assembly ``slug`` with its assembly, read as
    ``assembly_get`` then ``proposal_get`` read them, in one query; None when either is missing
    (those two then say which)."""
    number = _proposal_number(pk)
    found = _proposal_in(community=community.pk, slug=str(slug), pk=number) if number else []
    if not found:
        return None
    found[0].assembly.community = community
    return found[0]


def _proposal_number(pk: Any) -> int:
    """``pk`` as a proposal's id, or 0 (which finds nothing): an id beyond the database's integers
    finds nothing (as the ORM's lookup says), never an error."""
    try:
        number = int(pk)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0


def proposal_get(*, assembly: Assembly, pk: Any) -> Proposal:
    """The proposal ``pk`` of ``assembly`` (its ``assembly`` is the object given: read with its
    policy and community, as ``assembly_get`` gives it)."""
    number = _proposal_number(pk)
    found = _proposal_by_pk(assembly=assembly.pk, pk=number) if number else []
    if not found:
        raise NotFound(_("There is no such proposal in this assembly."))
    found[0].assembly = assembly
    return found[0]


def proposals_open(*, assembly: Assembly) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(assembly=assembly, state__in=[S.DISCUSSION, S.VOTING])
        .select_related("author", "assembly__community")
        .order_by("voting_closes_at", "id")
    )


# The API's list of an assembly's proposals, a page at a time (every state but drafts, or one state):
# its SQL written once per process; the rows' assembly is the one given.
_listed = Prepared(
    lambda assembly: Proposal.objects.filter(assembly_id=assembly).exclude(state=S.DRAFT),
    window=True,
    assembly=int,
)
_listed_in_state = Prepared(
    lambda assembly, state: Proposal.objects.filter(assembly_id=assembly, state=state).exclude(state=S.DRAFT),
    window=True,
    assembly=int,
    state=str,
)


class ListedProposals:
    """The proposals of ``assembly`` anyone may list (drafts are their authors'), or those in
    ``state``, newest first, as a list to page through (``count()`` and slices, as the API's
    pagination reads a queryset): each page of rows with its options and actions read for the whole
    page (``parts_of_many``), a fixed number of queries, their SQL written once per process."""

    def __init__(self, assembly: Assembly, state: str = "") -> None:
        self.assembly = assembly
        self.values: dict[str, Any] = {"assembly": assembly.pk}
        self.prepared: Prepared[Proposal] = _listed
        if state:
            self.values["state"] = state
            self.prepared = _listed_in_state

    def all(self) -> ListedProposals:
        return self

    def count(self) -> int:
        return self.prepared.count(**self.values)

    def __getitem__(self, window: slice) -> list[Proposal]:
        start, stop = window.start or 0, window.stop
        assert stop is not None and stop >= start, "a page of the list is a bounded slice"
        rows = _of(self.assembly, self.prepared(**self.values, limit=stop - start, offset=start))
        for part in ("options", "actions"):
            found = parts_of_many(rows, part)
            for row in rows:
                row.__dict__[f"_dp_{part}"] = found[row.pk]
        return rows


def proposals_decided(*, assembly: Assembly, limit: int = 20) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(assembly=assembly, state=S.CLOSED)
        .select_related("outcome", "assembly__community")
        .order_by("-outcome__decided_at", "-id")[:limit]
    )


# The lists of an assembly's page, a page of rows at a time, their SQL written once per process.
# The rows' assembly is the one given (with its community), not joined again.
_open_lists = {
    kind: Prepared(
        lambda assembly, filters=filters: Proposal.objects.filter(assembly_id=assembly, **filters).order_by(
            "voting_closes_at", "id"
        ),
        window=True,
        assembly=int,
    )
    for kind, filters in {
        "voting": {"state": S.VOTING, "amends__isnull": True},
        "discussion": {"state": S.DISCUSSION},
        "amendment_votes": {"state": S.VOTING, "amends__isnull": False},
    }.items()
}
_decided_list = Prepared(
    lambda assembly: (
        Proposal.objects.filter(assembly_id=assembly, state=S.CLOSED)
        .select_related("outcome")
        .order_by("-outcome__decided_at", "-id")
    ),
    window=True,
    assembly=int,
)
_drafts_list = Prepared(
    lambda assembly, author: Proposal.objects.filter(assembly_id=assembly, state=S.DRAFT, author_id=author),
    window=True,
    assembly=int,
    author=int,
)
_delegations_list = Prepared(
    lambda assembly, delegator: Delegation.objects.filter(
        assembly_id=assembly, delegator_id=delegator
    ).select_related("delegate", "proposal"),
    assembly=int,
    delegator=int,
)


def _of(assembly: Assembly, rows: list[Proposal]) -> list[Proposal]:
    for row in rows:
        row.assembly = assembly
    return rows


def open_page(*, assembly: Assembly, kind: str, limit: int, offset: int = 0) -> list[Proposal]:
    """``limit`` open proposals of ``assembly`` from ``offset``, soonest to close first: ``kind``
    "voting" (amendments apart), "discussion" or "amendment_votes" (what ``proposals_open``
    filtered by state gives)."""
    return _of(assembly, _open_lists[kind](assembly=assembly.pk, limit=limit, offset=offset))


def decided_page(*, assembly: Assembly, limit: int = 20) -> list[Proposal]:
    """``proposals_decided`` as a list."""
    return _of(assembly, _decided_list(assembly=assembly.pk, limit=limit, offset=0))


def drafts_page(*, assembly: Assembly, membership: Membership | None, limit: int) -> list[Proposal]:
    """``drafts_of`` as a list of at most ``limit``."""
    if membership is None:
        return []
    return _of(assembly, _drafts_list(assembly=assembly.pk, author=membership.pk, limit=limit, offset=0))


def delegations_list(*, assembly: Assembly, membership: Membership | None) -> list[Delegation]:
    """``delegations_of`` as a list."""
    if membership is None:
        return []
    found = _delegations_list(assembly=assembly.pk, delegator=membership.pk)
    for row in found:
        row.assembly = assembly
    return found


def drafts_of(*, assembly: Assembly, membership: Membership | None) -> QuerySet[Proposal]:
    if membership is None:
        return Proposal.objects.none()
    return Proposal.objects.filter(assembly=assembly, state=S.DRAFT, author=membership).select_related(
        "assembly__community"
    )


# What a proposal's page lists of it, read on every visit: the SQL written once per process, and
# the proposal given set on the rows rather than read again.
_parts_of: dict[str, Prepared[Any]] = {
    "options": Prepared(lambda proposal: ProposalOption.objects.filter(proposal_id=proposal), proposal=int),
    "actions": Prepared(lambda proposal: ProposalAction.objects.filter(proposal_id=proposal), proposal=int),
    "comments": Prepared(
        lambda proposal: Comment.objects.filter(proposal_id=proposal).select_related("author"), proposal=int
    ),
    "amendments": Prepared(
        lambda proposal: Amendment.objects.filter(proposal_id=proposal).select_related("author", "vote"),
        proposal=int,
    ),
}


def parts_of(proposal: Proposal, part: str) -> list[Any]:
    """The proposal's ``part`` in the models' order: its "options" (``proposal.options.all()``),
    "actions", "comments" (with their authors) or "amendments" (with their authors and votes)."""
    found = _parts_of[part](proposal=proposal.pk)
    for row in found:
        row.proposal = proposal
    return found


_parts_of_many: dict[tuple[str, int], Prepared[Any]] = {}
_PART_MODELS: dict[str, Any] = {"options": ProposalOption, "actions": ProposalAction}


def parts_of_many(proposals: list[Proposal], part: str) -> dict[int, list[Any]]:
    """The "options" or "actions" of each of ``proposals`` (a page of a list), by proposal id, in
    one query; its SQL written once per process for each number of proposals."""
    found: dict[int, list[Any]] = {p.pk: [] for p in proposals}
    if not proposals:
        return found
    names = [f"p{i}" for i in range(len(proposals))]
    key = (part, len(names))
    prepared = _parts_of_many.get(key)
    if prepared is None:
        model = _PART_MODELS[part]
        kinds: dict[str, Any] = dict.fromkeys(names, int)
        prepared = _parts_of_many.setdefault(
            key,
            Prepared(lambda **ids: model.objects.filter(proposal_id__in=[ids[n] for n in names]), **kinds),
        )
    by_id = {p.pk: p for p in proposals}
    for row in prepared(**{n: p.pk for n, p in zip(names, proposals, strict=True)}):
        row.proposal = by_id[row.proposal_id]
        found[row.proposal_id].append(row)
    return found


def has_voted(proposal: Proposal, membership: Membership | None) -> bool:
    if membership is None:
        return False
    if proposal.is_secret:
        return Participation.objects.filter(proposal=proposal, membership=membership).exists()
    return Vote.objects.filter(proposal=proposal, voter=membership).exists()


def waiting_voters(proposal: Proposal) -> int:
    """How many of the assembly's voters have not voted on ``proposal`` (online votes only; a vote in
    the room is decided by its witnessed count). In a general assembly, the roll's count less the
    proposal's turnout, both kept by the database (two reads of a row or three, whatever the size)."""
    if bodies.counted_by_roll(proposal.assembly):
        turnout = _turnout(proposal=proposal.pk)
        if turnout:
            voted_now = turnout[0].participants if proposal.is_secret else turnout[0].votes
            return bodies.voters_count(proposal.assembly) - voted_now
    voted = (Participation, "membership_id") if proposal.is_secret else (Vote, "voter_id")
    found = bodies.prepared_for(
        "waiting-secret" if proposal.is_secret else "waiting-open",
        proposal.assembly,
        lambda shape: Prepared(
            lambda community, group, proposal: (
                shape(community, group)
                .exclude(pk__in=voted[0].objects.filter(proposal_id=proposal).values(voted[1]))
                .order_by()
            ),
            community=int,
            group=int,
            proposal=int,
        ),
    )
    if found is not None:
        plan, ids = found
        return plan.count(**ids, proposal=proposal.pk)
    voters = bodies.voters_of(proposal.assembly)
    return voters.exclude(pk__in=voted[0].objects.filter(proposal=proposal).values(voted[1])).count()


_turnout = Prepared(lambda proposal: Turnout.objects.filter(proposal_id=proposal), proposal=int)


def everyone_voted(proposal: Proposal) -> bool:
    """Every eligible voter of an open online vote has voted (and there is at least one)."""
    return (
        proposal.state == S.VOTING
        and proposal.voting_mode == Proposal.VotingMode.ONLINE
        and bodies.voters_of(proposal.assembly).exists()
        and waiting_voters(proposal) == 0
    )


def my_vote(proposal: Proposal, membership: Membership | None) -> Vote | None:
    if membership is None or proposal.is_secret:
        return None
    found = _my_vote(proposal=proposal.pk, voter=membership.pk)
    return found[0] if found else None


# Asked on every visit of a proposal's page: its SQL written once per process (web/prepared.py).
_my_vote = Prepared(
    lambda proposal, voter: Vote.objects.filter(proposal_id=proposal, voter_id=voter).order_by("pk")[:1],
    proposal=int,
    voter=int,
)


def votes_waiting_for(*, community: Community, membership: Membership) -> list[Proposal]:
    """Open online votes in assemblies where ``membership`` votes and has not voted yet."""
    open_now = (
        Proposal.objects.filter(
            assembly__community=community, state=S.VOTING, voting_mode=Proposal.VotingMode.ONLINE
        )
        .annotate(
            voted=Exists(Vote.objects.filter(proposal=OuterRef("pk"), voter=membership)),
            took_part=Exists(Participation.objects.filter(proposal=OuterRef("pk"), membership=membership)),
        )
        .filter(voted=False, took_part=False)
        .select_related("assembly")
        .order_by("voting_closes_at", "id")
    )
    # Whether ``membership`` votes is asked once per assembly, not once per proposal; every
    # assembly here is of ``community``, which is already loaded.
    votes_in: dict[int, bool] = {}
    waiting: list[Proposal] = []
    for proposal in open_now:
        proposal.assembly.community = community
        if proposal.assembly_id not in votes_in:
            votes_in[proposal.assembly_id] = bodies.is_voter(proposal.assembly, membership)
        if votes_in[proposal.assembly_id]:
            waiting.append(proposal)
    return waiting


def results_visible(proposal: Proposal) -> bool:
    """Running results show during the vote only if the policy allows and ballots are open."""
    if proposal.state == S.CLOSED:
        return True
    if proposal.state != S.VOTING or proposal.is_secret:
        return False
    return not proposal.assembly.policy.results_hidden_until_close


def open_votes(proposal: Proposal) -> dict[int, str]:
    """membership id → their position (or a short text of their ballot), for open ballots only.

    Callers showing these to people check ``results_visible(proposal)`` first: a policy may hide
    how members voted until the vote closes.
    """
    if proposal.is_secret:
        return {}
    process = processes.get(proposal.process)
    labels = {str(pk): label for pk, label in proposal.options.values_list("pk", "label")}
    out: dict[int, str] = {}
    for voter, position, choices in Vote.objects.filter(proposal=proposal).values_list(
        "voter_id", "position", "choices"
    ):
        out[voter] = position or ballot_text(process, choices, labels)
    return out


def ballot_text(process: processes.Process, choices: Any, labels: dict[str, str]) -> str:
    if isinstance(choices, dict):
        return ", ".join(f"{labels.get(k, k)}: {v}" for k, v in choices.items())
    sep = " > " if process.shape == "ranked" else ", "
    return sep.join(labels.get(str(c), str(c)) for c in choices or [])


def vote_rows(proposal: Proposal) -> list[dict[str, Any]]:
    """The open votes as the proposal page lists them (who, what, why, delegated weight)."""
    if proposal.is_secret:
        return []
    process = processes.get(proposal.process)
    labels = {str(pk): label for pk, label in proposal.options.values_list("pk", "label")}
    rows = []
    for vote in (
        Vote.objects.filter(proposal=proposal).select_related("voter").order_by("voter__display_name")
    ):
        rows.append(
            {
                "name": vote.voter.display_name,
                "membership_id": vote.voter_id,
                "position": process.position_label(vote.position) if vote.position else "",
                "ballot": ballot_text(process, vote.choices, labels) if not vote.position else "",
                "reason": vote.reason,
            }
        )
    return rows


def running_counts(proposal: Proposal) -> dict[str, int]:
    """Positions so far (only shown when ``results_visible``)."""
    return running_counts_of([proposal])[proposal.pk]


def running_counts_of(proposals: Iterable[Proposal]) -> dict[int, dict[str, int]]:
    """``running_counts`` of each of ``proposals`` by id, in one query per kind of ballot (secret
    or open) whatever their number. A secret vote counts nothing until it closes: its ballots are
    sealed while it is open, and ``results_visible`` never shows them before."""
    proposals = list(proposals)
    counts: dict[int, dict[str, int]] = {p.pk: {} for p in proposals}
    secret = [p.pk for p in proposals if p.is_secret]
    open_ = [p.pk for p in proposals if not p.is_secret]
    rows: list[tuple[int, str]] = []
    if secret:
        rows += Ballot.objects.filter(proposal__in=secret).values_list("proposal_id", "position")
    if open_:
        rows += Vote.objects.filter(proposal__in=open_).values_list("proposal_id", "position")
    for proposal_id, position in rows:
        if position:
            found = counts[proposal_id]
            found[position] = found.get(position, 0) + 1
    return counts


def published_ballots(proposal: Proposal) -> list[dict[str, Any]]:
    """After a secret vote closes: every ballot, under the first 12 characters of its receipt hash."""
    if not proposal.is_secret or proposal.state != S.CLOSED:
        return []
    process = processes.get(proposal.process)
    labels = {str(pk): label for pk, label in proposal.options.values_list("pk", "label")}
    rows = [
        {
            "check": b.receipt_hash[:12],
            "position": process.position_label(b.position) if b.position else "",
            "ballot": ballot_text(process, b.choices, labels) if not b.position else "",
        }
        for b in Ballot.objects.filter(proposal=proposal)
    ]
    return sorted(rows, key=lambda r: r["check"])


def ballot_for_receipt(proposal: Proposal, code: str) -> Ballot | None:
    """The ballot a receipt code belongs to: how a voter checks theirs is in the count."""
    if not proposal.is_secret or not code.strip():
        return None
    return Ballot.objects.filter(proposal=proposal, receipt_hash=receipt_hash(proposal.pk, code)).first()


def delegations_of(*, assembly: Assembly, membership: Membership | None) -> QuerySet[Delegation]:
    if membership is None:
        return Delegation.objects.none()
    return Delegation.objects.filter(assembly=assembly, delegator=membership).select_related(
        "delegate", "proposal"
    )


def voters_count(assembly: Assembly) -> int:
    return bodies.voters_count(assembly)


def voters_named(
    *, assembly: Assembly, find: str = "", exclude: Membership | None = None, limit: int
) -> list[Membership]:
    """At most ``limit`` voters of ``assembly`` in order of name (those whose name holds ``find``,
    when given), never the whole roll: a picker of names reads this, whatever the assembly's size."""
    found = bodies.voters_of(assembly).order_by("display_name", "id")
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    if find:
        found = found.filter(display_name__icontains=find)
    return list(found[:limit])


def next_meetings(assembly: Assembly) -> list[sittings.Sitting]:
    """Upcoming meetings of this assembly, as the apps that hold meetings register them."""
    return sittings.upcoming(assembly, limit=5)


def may_propose(assembly: Assembly, by: Membership | None) -> bool:
    """Whether ``by`` may put a proposal to ``assembly``: its voters (coordinators, if the policy says so)."""
    if by is None or not bodies.is_voter(assembly, by):
        return False
    if assembly.policy.who_may_propose == Policy.Proposers.COORDINATORS:
        return by.role == Membership.Role.COORDINATOR
    return True


def may_speak(assembly: Assembly, by: Membership | None) -> bool:
    """Voters and observers of the assembly take part in discussion."""
    if by is None or by.community_id != assembly.community_id or not by.is_active:
        return False
    return bodies.is_voter(assembly, by) or bodies.is_observer(assembly, by)


def ballot_boxes() -> list[tuple[str, Proposal, int]]:
    """Every open secret vote's box on this node: its key id, the proposal, how many sealed ballots
    (for the operator's commands: a key file missing, a key file left over)."""
    found = BallotBox.objects.select_related("proposal__assembly__community").annotate(
        n=Count("proposal__sealed_ballots")
    )
    return [(box.key_id, box.proposal, box.n) for box in found.order_by("proposal_id")]


def receipt_hash(proposal_id: int, code: str) -> str:
    """What a secret ballot keeps of its receipt code: a SHA-256, from which the code cannot be found."""
    code = "".join(ch for ch in str(code).upper() if ch.isalnum())
    return hashlib.sha256(f"dualpower-ballot:{proposal_id}:{code}".encode()).hexdigest()


def assembly_slug_taken(*, community: Community, slug: str) -> bool:
    """Whether ``community`` already has an assembly (archived ones included) with this short name."""
    return Assembly.objects.filter(community=community, slug=slug).exists()


def assemblies_all(*, community: Community) -> QuerySet[Assembly]:
    """Every assembly of ``community``, archived ones included (for other apps' lookups by id or slug)."""
    return Assembly.objects.filter(community=community)


def proposals_of(*, community: Community, assembly: Assembly | None = None) -> QuerySet[Proposal]:
    """Every proposal in ``community`` (or in one of its assemblies), with its assembly: other apps
    filter it by id or state."""
    found = Proposal.objects.filter(assembly__community=community).select_related(
        "assembly__community", "assembly__policy"
    )
    return found.filter(assembly=assembly) if assembly is not None else found


def proposals_undecided(*, assembly: Assembly, limit: int = 50) -> list[Proposal]:
    """Drafts and proposals in discussion or voting, newest first (e.g. to put on a meeting's agenda)."""
    return _of(assembly, _undecided(assembly=assembly.pk, limit=limit, offset=0))


# Asked by a meeting's page on every visit while its agenda may change: the SQL written once.
_undecided = Prepared(
    lambda assembly: (
        Proposal.objects.filter(assembly_id=assembly)
        .exclude(state__in=[S.CLOSED, S.WITHDRAWN])
        .order_by("-created_at")
    ),
    window=True,
    assembly=int,
)


def outcome_statements(proposal: Proposal) -> list[OutcomeStatement]:
    """Every version of the proposal's outcome statement, newest (the one shown) first."""
    if proposal.state != S.CLOSED:
        return []
    return list(
        OutcomeStatement.objects.filter(outcome__proposal=proposal)
        .select_related("author")
        .order_by("-created_at", "-id")
    )


def ranking_of(options: Iterable[ProposalOption], choices: Any) -> list[ProposalOption]:
    """A ranked ballot's options, first choice first (ids the proposal no longer has are left out)."""
    by_id = {str(o.pk): o for o in options}
    return [by_id[str(c)] for c in choices or [] if str(c) in by_id] if isinstance(choices, list) else []
