"""Ballots cast online, and the checks every ballot goes through (booth and paper ballots: paper_ballots.py).

Every ballot is checked against the cycle's limits here, the one place they are decided, so the
page's running total, the API and paper entry all give the same sentences. The cycle row is
locked while a ballot is written, so closing the vote and casting a ballot never overlap.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.budgeting.models import (
    Ballot,
    BallotEntry,
    BallotType,
    Cycle,
    District,
    Eligibility,
    Phase,
    Proposal,
)
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.formatting import format_money
from dualpower.members.models import Membership

Choice = tuple[str, int]  # (proposal code, points: 1, points given, or rank)


@dataclass
class Tally:
    """Where a ballot being filled in stands against the limits (for the running total)."""

    count: int = 0
    total_cost: int = 0
    points: int = 0
    budget: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def area_budget(cycle: Cycle, district: District | None) -> int:
    return district.budget if district is not None else cycle.budget


def ballot_proposals(cycle: Cycle, district: District | None) -> list[Proposal]:
    """What is on the ballot of one area: the feasible, costed proposals of that district (or city-wide)."""
    return list(
        cycle.proposals.filter(
            district=district, feasibility=Proposal.Feasibility.FEASIBLE, cost__isnull=False
        ).order_by("code", "id")
    )


def ballot_check(
    cycle: Cycle,
    district: District | None,
    choices: Sequence[Choice],
    proposals: Sequence[Proposal] | None = None,
) -> Tally:
    """Every way ``choices`` breaks the cycle's limits, as sentences for the voter; and the totals.

    ``proposals`` (what is on this ballot) may be passed in when checking many ballots at once.
    """
    on_ballot = {p.code: p for p in (ballot_proposals(cycle, district) if proposals is None else proposals)}
    tally = Tally(budget=area_budget(cycle, district))
    problems = tally.problems
    seen: set[str] = set()
    for code, points in choices:
        if code not in on_ballot:
            problems.append(_("Project %(code)s is not on this ballot.") % {"code": code})
            continue
        if code in seen:
            problems.append(_("Project %(code)s is on the ballot twice.") % {"code": code})
            continue
        seen.add(code)
        tally.count += 1
        tally.total_cost += int(on_ballot[code].cost or 0)
        if points < 1:
            problems.append(_("Give project %(code)s at least 1 point, or leave it out.") % {"code": code})
        tally.points += points
    kind = cycle.ballot_type
    low, high = cycle.min_choices, cycle.max_choices
    if tally.count < low:
        problems.append(
            ngettext("Choose at least %(n)d project.", "Choose at least %(n)d projects.", low) % {"n": low}
        )
    if high is not None and tally.count > high:
        if kind == BallotType.RANKED:
            problems.append(
                ngettext("Rank at most %(n)d project.", "Rank at most %(n)d projects.", high) % {"n": high}
            )
        else:
            problems.append(
                ngettext("Choose at most %(n)d project.", "Choose at most %(n)d projects.", high)
                % {"n": high}
            )
    cap = cost_cap(cycle, district)
    if cap is not None and tally.total_cost > cap:
        problems.append(
            _("The projects you chose cost %(total)s together; the most allowed is %(cap)s.")
            % {
                "total": format_money(tally.total_cost, cycle.currency, trim=True, empty="—"),
                "cap": format_money(cap, cycle.currency, trim=True, empty="—"),
            }
        )
    if kind == BallotType.CUMULATIVE and tally.points > cycle.points:
        problems.append(
            # Only said when more points were given than there are, so "points" is plural there.
            ngettext(
                "You gave %(given)d points; you have %(n)d point to spread.",
                "You gave %(given)d points; you have %(n)d points to spread.",
                cycle.points,
            )
            % {"given": tally.points, "n": cycle.points}
        )
    if kind == BallotType.RANKED:
        ranks = sorted(points for _code, points in choices)
        if ranks != list(range(1, len(ranks) + 1)):
            problems.append(_("Number your choices 1, 2, 3… without gaps or repeats."))
    return tally


def cost_cap(cycle: Cycle, district: District | None) -> int | None:
    if cycle.ballot_type == BallotType.KNAPSACK:
        return area_budget(cycle, district)
    if cycle.ballot_type == BallotType.APPROVAL:
        return cycle.max_total_cost
    return None


def home_district(cycle: Cycle, voter: Membership) -> District | None:
    """A voter's home district: the one named like the neighbourhood in their profile."""
    if not voter.neighbourhood:
        return None
    return cycle.districts.filter(name__iexact=voter.neighbourhood.strip()).first()


def may_vote_in(
    cycle: Cycle, voter: Membership, district: District | None, *, exclude: int | None = None
) -> str:
    """Empty if ``voter`` may vote in ``district``; otherwise the sentence saying why not."""
    if district is None:
        return ""
    voted = set(
        Ballot.objects.filter(cycle=cycle, voter=voter, district__isnull=False)
        .exclude(district=district)
        .values_list("district_id", flat=True)
    )
    allowed = 2 if cycle.allow_other_district else 1
    home = home_district(cycle, voter) if cycle.eligibility == Eligibility.DISTRICT else None
    if cycle.eligibility == Eligibility.DISTRICT:
        if home is None:
            return _(
                "Residents vote in their own district: set your neighbourhood in your profile "
                "to one of the districts."
            )
        if district.pk != home.pk and not cycle.allow_other_district:
            return _("You can vote only in your own district, %(home)s.") % {"home": home.name}
        if district.pk != home.pk and any(d != home.pk for d in voted):
            return _("You have already voted in another district besides your own.")
        return ""
    if len(voted) + 1 > allowed:
        if allowed == 1:
            return _("You have already voted in another district; you can vote in one district only.")
        return _("You have already voted in two districts, the most this cycle allows.")
    return ""


def open_for_ballots(cycle: Cycle) -> Cycle:
    locked = Cycle.objects.select_for_update(of=("self",)).select_related("community").get(pk=cycle.pk)
    if locked.phase != Phase.VOTING:
        raise Conflict(_("Voting is not open for this cycle."))
    if locked.voting_until is not None and locked.voting_until <= timezone.now():
        raise Conflict(_("Voting has closed for this cycle."))
    return locked


def check_choices(
    cycle: Cycle,
    district: District | None,
    choices: Sequence[Choice],
    proposals: Sequence[Proposal] | None = None,
) -> dict[str, Proposal]:
    if district is not None and district.cycle_id != cycle.pk:
        raise InvalidInput(_("Choose one of this cycle's districts."), field="district")
    on_ballot = ballot_proposals(cycle, district) if proposals is None else list(proposals)
    if district is None and not on_ballot and cycle.districts.exists():
        raise InvalidInput(_("Choose the district you are voting in."), field="district")
    tally = ballot_check(cycle, district, choices, on_ballot)
    if not tally.ok:
        raise InvalidInput(" ".join(tally.problems), field="choices")
    return {p.code: p for p in on_ballot}


def write_entries(ballot: Ballot, by_code: dict[str, Proposal], choices: Sequence[Choice]) -> None:
    BallotEntry.objects.bulk_create(
        [BallotEntry(ballot=ballot, proposal=by_code[code], points=points) for code, points in choices]
    )


def new_ref() -> str:
    return secrets.token_hex(8)


@transaction.atomic
def ballot_submit(
    *, cycle: Cycle, voter: Membership, district: District | None, choices: Sequence[Choice]
) -> Ballot:
    """Cast ``voter``'s ballot in one area, or replace it while voting is open."""
    locked = open_for_ballots(cycle)
    if (
        voter.community_id != locked.community_id
        or not voter.is_active
        or voter.role == Membership.Role.OBSERVER
    ):
        raise PermissionDenied(_("Only members of this community vote in its budget."))
    by_code = check_choices(locked, district, choices)
    why_not = may_vote_in(locked, voter, district)
    if why_not:
        raise Conflict(why_not)
    ballot = Ballot.objects.filter(cycle=locked, voter=voter, district=district).first()
    replaced = ballot is not None
    if ballot is None:
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(cycle=locked, voter=voter, district=district, ref=new_ref())
        except IntegrityError:
            raise Conflict(_("Your ballot was being saved twice at once; check it and save again.")) from None
    else:
        ballot.entries.all().delete()
        ballot.save(update_fields=["updated_at"])
    write_entries(ballot, by_code, choices)
    # The audit log says that someone voted, never what they chose: the ballot is secret.
    audit_record(
        community=locked.community,
        actor=voter,
        action="budget.ballot_replace" if replaced else "budget.ballot_cast",
        target=locked,
        summary=district.name if district else "",
    )
    return ballot


@transaction.atomic
def ballot_withdraw(*, cycle: Cycle, voter: Membership, district: District | None) -> None:
    locked = open_for_ballots(cycle)
    ballot = Ballot.objects.filter(cycle=locked, voter=voter, district=district).first()
    if ballot is None:
        raise NotFound(_("You have no ballot here to withdraw."))
    ballot.entries.all().delete()
    ballot.delete()
    audit_record(community=locked.community, actor=voter, action="budget.ballot_withdraw", target=locked)
