"""Import a pabulib ``.pb`` file as a closed cycle: its projects, its ballots, and a fresh count.

For training (count a real city's vote with every rule) and for cities moving their history in.
Amounts are stored in cents; the count uses the file's own unit again (counts.count_unit), so a
recount in the app equals the engine's count of the file, and, where the file's rule is one we
implement (Method of Equal Shares with add1, greedy), the city's own ``selected`` column.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.budgeting.models import Ballot, BallotEntry, BallotType, Cycle, Phase, Proposal, Rule
from dualpower.budgeting.services.counts import cycle_count
from dualpower.budgeting.services.cycles import cycle_create
from dualpower.community.models import Community
from dualpower.core.choice.formats.errors import FormatError
from dualpower.core.choice.formats.pb import parse_pb
from dualpower.core.choice.pb.election import PBElection
from dualpower.errors import InvalidInput
from dualpower.members.models import Membership

MAX_FILE_BYTES = 80 * 1024 * 1024
RULES = {
    "equalshares/add1": Rule.MES,
    "equalshares": Rule.MES,
    "mes": Rule.MES,
    "greedy": Rule.GREEDY,
    "phragmen": Rule.PHRAGMEN,
}
BALLOT_TYPES = {
    "approval": BallotType.APPROVAL,
    "choose-1": BallotType.APPROVAL,
    "cumulative": BallotType.CUMULATIVE,
    "ordinal": BallotType.RANKED,
}


def read_upload(data: bytes, name: str) -> PBElection:
    """Parse uploaded bytes; every defect becomes one sentence (a 400), never a 500."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(_("The file is too large (at most 80 MB)."), field="file")
    if not name.lower().endswith(".pb"):
        raise InvalidInput(_("Choose a pabulib file: its name ends in .pb."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(
            _("The file is not UTF-8 text, so it is not a pabulib file."), field="file"
        ) from None
    try:
        return parse_pb(text, path=name)
    except (FormatError, ValueError) as exc:
        raise InvalidInput(_("This file cannot be read: %(why)s") % {"why": exc}, field="file") from None


def _cents(amount: int, scale: int) -> int:
    if 100 % scale:
        raise InvalidInput(_("Amounts with more than two decimals cannot be stored in cents."), field="file")
    return amount * (100 // scale)


@transaction.atomic
def cycle_import(
    *, community: Community, by: Membership | None, election: PBElection, name: str, rule: str | None = None
) -> Cycle:
    """A closed cycle (phase: results) holding the file's projects and ballots, counted at once."""
    if election.ballots.num_voters == 0:
        raise InvalidInput(_("The file has no ballots to count."), field="file")
    refs = [voter_id[:64] for voter_id in election.ballots.voter_ids]
    if len(set(refs)) != len(refs):
        raise InvalidInput(
            _("The file names the same voter twice; each ballot needs its own voter_id."), field="file"
        )
    if (election.ballots.weights != 1).any():
        raise InvalidInput(_("Ballots with weights other than 1 cannot be imported."), field="file")
    scale = int(election.meta.get("currency_scale", "1"))
    file_rule = election.meta.get("rule", "").strip().lower()
    rule = rule or RULES.get(file_rule, Rule.MES)
    ballot_type = BALLOT_TYPES[election.vote_type]
    if rule == Rule.PHRAGMEN and ballot_type != BallotType.APPROVAL:
        raise InvalidInput(_("Phragmén counts approval ballots only."), field="rule")
    lengths = [int(n) for n in (election.ballots.offsets[1:] - election.ballots.offsets[:-1]).tolist()]
    max_choices = 1 if election.vote_type == "choose-1" else (max(lengths) if lengths else None)
    if election.vote_type == "ordinal" and election.meta.get("max_length", "").strip().isdigit():
        max_choices = int(election.meta["max_length"])
    points = 1
    if election.vote_type == "cumulative":
        per_voter = [
            int(election.ballots.points[a:b].sum())
            for a, b in zip(election.ballots.offsets[:-1], election.ballots.offsets[1:], strict=True)
        ]
        declared = election.meta.get("max_sum_points", "").strip()
        points = int(declared) if declared.isdigit() else max(per_voter or [1])
    title = (
        " ".join(
            part
            for part in (
                election.meta.get("description", ""),
                election.meta.get("unit", ""),
                election.meta.get("instance", ""),
            )
            if part
        )[:160]
        or name
    )
    cycle = cycle_create(
        community=community,
        by=by,
        title=title,
        budget=_cents(election.budget, scale),
        currency=(election.meta.get("currency", "") or "EUR")[:3],
        description="",  # Cycle.shown_description says where it came from, in the reader's language
        rule=rule,
        ballot_type=ballot_type,
        min_choices=0,
        max_choices=max_choices,
        points=max(points, 1),
        phase=Phase.VOTING,
        imported_from=name[:200],
    )
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                cycle=cycle,
                code=p.id[:40],
                title=(p.name or p.extra.get("name", "") or p.id)[:200],
                description=p.extra.get("description", "")[:10000],
                cost=_cents(p.cost, scale),
                feasibility=Proposal.Feasibility.FEASIBLE,
                created_by=by,
            )
            for p in election.projects
        ]
    )
    now = timezone.now()
    ballots = Ballot.objects.bulk_create(
        [
            Ballot(cycle=cycle, ref=voter_id[:64], channel=Ballot.Channel.IMPORTED, created_at=now)
            for voter_id in election.ballots.voter_ids
        ],
        batch_size=5000,
    )
    if not all(b.pk for b in ballots):  # databases that do not return ids from bulk inserts
        ids = dict(Ballot.objects.filter(cycle=cycle).values_list("ref", "id"))
        ballot_ids = [ids[v[:64]] for v in election.ballots.voter_ids]
    else:
        ballot_ids = [b.pk for b in ballots]
    offsets = election.ballots.offsets.tolist()
    index = election.ballots.project_index.tolist()
    points_list = election.ballots.points.tolist()
    proposal_ids = [p.pk for p in proposals]
    entries = [
        BallotEntry(ballot_id=ballot_ids[v], proposal_id=proposal_ids[index[k]], points=points_list[k])
        for v in range(len(ballot_ids))
        for k in range(offsets[v], offsets[v + 1])
    ]
    BallotEntry.objects.bulk_create(entries, batch_size=20000)
    cycle.phase = Phase.RESULTS
    cycle.save(update_fields=["phase"])
    cycle_count(cycle=cycle, by=by)
    return cycle
