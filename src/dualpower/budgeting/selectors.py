"""Every non-trivial read about budgeting. Results and vote counts never leave here while voting is open."""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from dualpower.budgeting.models import (
    Ballot,
    BallotType,
    Category,
    Cycle,
    District,
    Idea,
    ProgressUpdate,
    Proposal,
    Result,
    Rule,
)
from dualpower.community.models import Community
from dualpower.core.choice.formats.pb import parse_pb
from dualpower.core.choice.pb.election import PBElection
from dualpower.core.choice.pb.mes import explain_voter
from dualpower.core.choice.pb.outcome import PBOutcome
from dualpower.errors import NotFound
from dualpower.formatting import format_money
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared


def cycles_of(*, community: Community) -> QuerySet[Cycle]:
    return Cycle.objects.filter(community=community).select_related("community")


# Every page of a cycle reads it, and the results page its results: their SQL is written once per
# process (web/prepared.py), and the community and cycle the caller holds are set on the rows
# rather than joined again.
_cycle_by_slug = Prepared(
    lambda community, slug: Cycle.objects.filter(community_id=community, slug=slug).select_related(
        "working_group"
    )[:1],
    community=int,
    slug=str,
)
_results_of_cycle = Prepared(
    lambda cycle: (
        Result.objects.filter(cycle_id=cycle)
        .select_related("district")
        .defer("ballot_file")
        .order_by("district__name", "id")
    ),
    cycle=int,
)


_voter_ballots = Prepared(
    lambda cycle, voter: Ballot.objects.filter(cycle_id=cycle, voter_id=voter).select_related("district"),
    cycle=int,
    voter=int,
)
_proposals_of_cycle = Prepared(lambda cycle: Proposal.objects.filter(cycle_id=cycle), cycle=int)


_districts_of_cycle = Prepared(lambda cycle: District.objects.filter(cycle_id=cycle), cycle=int)
_categories_of_cycle = Prepared(lambda cycle: Category.objects.filter(cycle_id=cycle), cycle=int)


def districts_of(*, cycle: Cycle) -> list[District]:
    """``cycle.districts.all()``, its SQL written once per process (the cycle's page)."""
    found = _districts_of_cycle(cycle=cycle.pk)
    for district in found:
        district.cycle = cycle
    return found


def categories_of(*, cycle: Cycle) -> list[Category]:
    """``cycle.categories.all()``, its SQL written once per process (the cycle's page)."""
    found = _categories_of_cycle(cycle=cycle.pk)
    for category in found:
        category.cycle = cycle
    return found


def proposals_all(*, cycle: Cycle) -> list[Proposal]:
    """Every proposal of ``cycle`` (``cycle.proposals.all()``, its SQL written once per process)."""
    found = _proposals_of_cycle(cycle=cycle.pk)
    for proposal in found:
        proposal.cycle = cycle
    return found


def cycle_get(*, community: Community, slug: str) -> Cycle:
    found = _cycle_by_slug(community=community.pk, slug=str(slug))
    if not found:
        raise NotFound(_("There is no budgeting cycle here with this address."))
    found[0].community = community
    return found[0]


def cycle_by_id(*, community: Community, pk: int) -> Cycle:
    cycle = Cycle.objects.filter(community=community, pk=pk).select_related("community").first()
    if cycle is None:
        raise NotFound(_("There is no budgeting cycle here with this number."))
    return cycle


def proposals_of(
    *, cycle: Cycle, district: District | None = None, on_ballot: bool = False
) -> QuerySet[Proposal]:
    qs = cycle.proposals.select_related("district", "category", "responsible_group")
    if on_ballot:
        qs = qs.filter(feasibility=Proposal.Feasibility.FEASIBLE, cost__isnull=False)
    if district is not None:
        qs = qs.filter(district=district)
    return qs.order_by("code", "id")


def proposal_get(*, cycle: Cycle, code: str) -> Proposal:
    proposal = proposals_of(cycle=cycle).filter(code=code).first()
    if proposal is None:
        raise NotFound(_("There is no proposal with this number in the cycle."))
    return proposal


def district_get(*, cycle: Cycle, pk: Any) -> District | None:
    if pk in (None, "", "citywide"):
        return None
    found = cycle.districts.filter(pk=int(pk) if str(pk).isdigit() else 0).first()
    if found is None:
        raise NotFound(_("There is no such district in this cycle."))
    return found


def ideas_of(*, cycle: Cycle) -> QuerySet[Idea]:
    return cycle.ideas.select_related("author", "district", "merged_into")


def results_of(*, cycle: Cycle) -> list[Result]:
    """The stored results, or nothing at all while the cycle has not been counted."""
    if not cycle.is_counted:
        return []
    # The ballot file (megabytes for a large vote) is read only when downloaded or explained.
    found = _results_of_cycle(cycle=cycle.pk)
    for result in found:
        result.cycle = cycle
    return found


def result_for(*, cycle: Cycle, district: District | None) -> Result:
    if not cycle.is_counted:
        raise NotFound(_("The results are published when voting has closed."))
    result = Result.objects.filter(cycle=cycle, district=district).first()
    if result is None:
        raise NotFound(_("There is no result for this area."))
    return result


def funded_codes(*, cycle: Cycle) -> set[str]:
    codes: set[str] = set()
    for result in results_of(cycle=cycle):
        codes.update(result.selected)
    return codes


def funded_projects(*, cycle: Cycle) -> list[Proposal]:
    codes = funded_codes(cycle=cycle)
    return list(proposals_of(cycle=cycle).filter(code__in=codes).prefetch_related("updates"))


def my_ballots(*, cycle: Cycle, voter: Membership | None) -> dict[int | None, Ballot]:
    """The voter's own ballots by district id (None for the city-wide one)."""
    if voter is None:
        return {}
    ballots = Ballot.objects.filter(cycle=cycle, voter=voter).prefetch_related("entries__proposal")
    return {b.district_id: b for b in ballots}


def ballot_counts(*, cycle: Cycle) -> dict[str, int]:
    """How many ballots, by channel: only once counted (turnout is a result too)."""
    if not cycle.is_counted:
        return {}
    # Counted by the database: one row per channel, not one per ballot; the ORM's SQL, written
    # once per process and database vendor.
    sql, params = _ballot_counts_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle.pk if p == _STAND_IN else p for p in params])
        return {channel: int(n) for channel, n in cursor.fetchall()}


_STAND_IN = -(10**12)  # a cycle id no database holds: where the call's id goes in the SQL
_counts_sql: dict[str, tuple[str, tuple[Any, ...]]] = {}


def _ballot_counts_sql() -> tuple[str, tuple[Any, ...]]:
    found = _counts_sql.get(connection.vendor)
    if found is None:
        query = (
            Ballot.objects.filter(cycle_id=_STAND_IN, confirmed=True)
            .order_by()
            .values_list("channel")
            .annotate(n=Count("id"))
            .query
        )
        sql, params = query.sql_with_params()
        if list(params).count(_STAND_IN) != 1:  # the cycle's id once, or refuse
            raise ValueError(f"ballot_counts: unexpected parameters {params!r}")
        found = _counts_sql[connection.vendor] = (sql, tuple(params))
    return found


def paper_batches(*, cycle: Cycle) -> list[dict[str, Any]]:
    """Batches of paper ballots awaiting a second teller (no content: just who and how many)."""
    rows: dict[str, dict[str, Any]] = {}
    waiting = Ballot.objects.filter(
        cycle=cycle, channel=Ballot.Channel.PAPER, confirmed=False
    ).select_related("entered_by")
    for b in waiting:
        row = rows.setdefault(b.batch, {"batch": b.batch, "count": 0, "entered_by": b.entered_by})
        row["count"] += 1
    return list(rows.values())


# A voter's explanation needs the whole ballot file parsed and the rule's steps replayed: tens of
# milliseconds for a large vote, on every view of the results. A counted result does not change
# (a recount stores a new file, with a new digest), so each process keeps the explanation of a
# ballot in a result by (result, file digest, ballot and its last change), a bounded number.
_EXPLAINED: dict[tuple[Any, ...], tuple[str | None, dict[str, Any] | None]] = {}
_EXPLAINED_MAX = 5_000


def _explained(cycle: Cycle, result: Result, ballot: Ballot) -> tuple[str | None, dict[str, Any] | None]:
    # The ballot's last change too: a ballot with the same id in another database (or changed
    # before a recount) is another ballot.
    key = (result.pk, result.ballot_file_sha256, ballot.pk, ballot.ref, ballot.updated_at)
    found = _EXPLAINED.get(key)
    if found is None:
        election = parse_pb(result.ballot_file)
        published_id = _published_id(cycle, election, ballot)
        account = (
            None if published_id is None else explain_voter(election, stored_outcome(result), published_id)
        )
        if len(_EXPLAINED) >= _EXPLAINED_MAX:
            _EXPLAINED.clear()
        found = _EXPLAINED[key] = (published_id, account)
    return found


def voter_explanations(
    *,
    cycle: Cycle,
    voter: Membership | None,
    results: list[Result] | None = None,
    proposals: list[Proposal] | None = None,
) -> list[dict[str, Any]]:
    """For a signed-in voter: what their share paid for, in each area they voted in (MES only).
    ``results``, ``proposals``: the cycle's, when the caller has already read them."""
    if voter is None or not cycle.is_counted or cycle.rule != "mes":
        return []
    out = []
    by_area = {r.district_id: r for r in (results if results is not None else results_of(cycle=cycle))}
    titles: dict[str, str] | None = None
    for ballot in _voter_ballots(cycle=cycle.pk, voter=voter.pk):
        ballot.cycle = cycle
        result = by_area.get(ballot.district_id)
        if result is None or (not result.rule_selected and not result.num_ballots):
            continue
        published_id, account = _explained(cycle, result, ballot)
        if published_id is None or account is None:
            continue
        if titles is None:  # every proposal's title in one query, not one per project named
            titles = _titles(cycle, proposals)
        unit = int(result.settings.get("unit_cents", 1))
        share, left = round(account["share"] * unit), round(account["left"] * unit)
        out.append(
            {
                "district": ballot.district,
                "share": share,
                "left": left,
                "share_text": format_money(share, cycle.currency, trim=True, empty="—"),
                "left_text": format_money(left, cycle.currency, trim=True, empty="—"),
                "payments": [
                    {
                        **p,
                        "paid_cents": round(p["paid"] * unit),
                        "paid_text": format_money(
                            round(p["paid"] * unit), cycle.currency, trim=True, empty="—"
                        ),
                        "title": titles.get(p["project"], p["project"]),
                    }
                    for p in account["payments"]
                ],
                "supported_not_funded": [titles.get(c, c) for c in account["supported_not_funded"]],
            }
        )
    return out


def _titles(cycle: Cycle, proposals: list[Proposal] | None = None) -> dict[str, str]:
    """Each proposal's title by its code (the first proposal with a code, as ``_title``), from
    ``proposals`` when the caller read them all."""
    if proposals is None:
        proposals = proposals_all(cycle=cycle)
    return {p.code: p.title for p in sorted(proposals, key=lambda p: p.pk, reverse=True)}


def _published_id(cycle: Cycle, election: PBElection, ballot: Ballot) -> str | None:
    """The id, in the published file, of a ballot with the same content as ``ballot``.

    The file's ids are fresh and nothing links them to a ballot (counts.published_ballots); the
    voter's own ballot is found by its content instead. Equal ballots are counted alike, so any
    of them explains this one."""
    codes = [p.id for p in election.projects]
    position = {code: i for i, code in enumerate(codes)}
    ranked = cycle.ballot_type == BallotType.RANKED
    mine = sorted(
        (
            (position[code], points)
            for code, points in ballot.entries.values_list("proposal__code", "points")
            if code in position
        ),
        key=lambda entry: entry[1] if ranked else entry[0],
    )
    if not mine:
        return None
    want = [place for place, _points in mine]
    want_points = [points for _place, points in mine] if cycle.ballot_type == BallotType.CUMULATIVE else None
    ballots = election.ballots
    offsets, index, points = ballots.offsets.tolist(), ballots.project_index.tolist(), ballots.points.tolist()
    for v, voter_id in enumerate(ballots.voter_ids):
        start, end = offsets[v], offsets[v + 1]
        if index[start:end] == want and (want_points is None or points[start:end] == want_points):
            return voter_id
    return None


def photo_owner(name: str) -> tuple[str, Cycle] | None:
    """Who may see a stored progress photo: whoever may see the cycle's results and
    implementation (the API lists the photos there), checked on its cycle (uploads.owner_of)."""
    update = ProgressUpdate.objects.filter(photo=name).select_related("proposal__cycle__community").first()
    if update is None:
        return None
    return "budgeting.view_results", update.proposal.cycle


def stored_outcome(result: Result) -> PBOutcome:
    """The rule's outcome as stored, for explaining it again (what a voter's share paid for)."""
    total = 0
    return PBOutcome(
        rule=result.rule if result.rule != Rule.MES else "mes",
        selected=tuple(result.rule_selected),
        total_cost=total,
        settings=MappingProxyType({k: v for k, v in result.settings.items() if k != "unit_cents"}),
        explanation=tuple(result.explanation),
    )
