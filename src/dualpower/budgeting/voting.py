"""Ballots: online, at a booth with a one-time code, and on paper (entered by two tellers).

Every ballot is checked against the cycle's limits here, the one place they are decided, so the
page's running total, the API and paper entry all give the same sentences. The cycle row is
locked while a ballot is written, so closing the vote and casting a ballot never overlap.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
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
    VotingCode,
)
from dualpower.budgeting.money import money
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.members.models import Membership
from dualpower.node.services import audit_record

# Voting codes: no letters that are easily mixed up on paper (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES = 5000
MAX_BATCH = 2000

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


def ballot_check(cycle: Cycle, district: District | None, choices: Sequence[Choice]) -> Tally:
    """Every way ``choices`` breaks the cycle's limits, as sentences for the voter; and the totals."""
    on_ballot = {p.code: p for p in ballot_proposals(cycle, district)}
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
    cap = _cost_cap(cycle, district)
    if cap is not None and tally.total_cost > cap:
        problems.append(
            _("The projects you chose cost %(total)s together; the most allowed is %(cap)s.")
            % {"total": money(tally.total_cost, cycle.currency), "cap": money(cap, cycle.currency)}
        )
    if kind == BallotType.CUMULATIVE and tally.points > cycle.points:
        problems.append(
            _("You gave %(given)d points; you have %(n)d to spread.")
            % {"given": tally.points, "n": cycle.points}
        )
    if kind == BallotType.RANKED:
        ranks = sorted(points for _code, points in choices)
        if ranks != list(range(1, len(ranks) + 1)):
            problems.append(_("Number your choices 1, 2, 3… without gaps or repeats."))
    return tally


def _cost_cap(cycle: Cycle, district: District | None) -> int | None:
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


def _open_for_ballots(cycle: Cycle) -> Cycle:
    locked = Cycle.objects.select_for_update().select_related("community").get(pk=cycle.pk)
    if locked.phase != Phase.VOTING:
        raise Conflict(_("Voting is not open for this cycle."))
    if locked.voting_until is not None and locked.voting_until <= timezone.now():
        raise Conflict(_("Voting has closed for this cycle."))
    return locked


def _check(cycle: Cycle, district: District | None, choices: Sequence[Choice]) -> dict[str, Proposal]:
    if district is not None and district.cycle_id != cycle.pk:
        raise InvalidInput(_("Choose one of this cycle's districts."), field="district")
    if district is None and cycle.districts.exists() and not ballot_proposals(cycle, None):
        raise InvalidInput(_("Choose the district you are voting in."), field="district")
    tally = ballot_check(cycle, district, choices)
    if not tally.ok:
        raise InvalidInput(" ".join(tally.problems), field="choices")
    return {p.code: p for p in ballot_proposals(cycle, district)}


def _write_entries(ballot: Ballot, by_code: dict[str, Proposal], choices: Sequence[Choice]) -> None:
    BallotEntry.objects.bulk_create(
        [BallotEntry(ballot=ballot, proposal=by_code[code], points=points) for code, points in choices]
    )


def _new_ref() -> str:
    return secrets.token_hex(8)


@transaction.atomic
def ballot_submit(
    *, cycle: Cycle, voter: Membership, district: District | None, choices: Sequence[Choice]
) -> Ballot:
    """Cast ``voter``'s ballot in one area, or replace it while voting is open."""
    locked = _open_for_ballots(cycle)
    if (
        voter.community_id != locked.community_id
        or not voter.is_active
        or voter.role == Membership.Role.OBSERVER
    ):
        raise PermissionDenied(_("Only members of this community vote in its budget."))
    by_code = _check(locked, district, choices)
    why_not = may_vote_in(locked, voter, district)
    if why_not:
        raise Conflict(why_not)
    ballot = Ballot.objects.filter(cycle=locked, voter=voter, district=district).first()
    replaced = ballot is not None
    if ballot is None:
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(cycle=locked, voter=voter, district=district, ref=_new_ref())
        except IntegrityError:
            raise Conflict(_("Your ballot was being saved twice at once; check it and save again.")) from None
    else:
        ballot.entries.all().delete()
        ballot.save(update_fields=["updated_at"])
    _write_entries(ballot, by_code, choices)
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
    locked = _open_for_ballots(cycle)
    ballot = Ballot.objects.filter(cycle=locked, voter=voter, district=district).first()
    if ballot is None:
        raise NotFound(_("You have no ballot here to withdraw."))
    ballot.entries.all().delete()
    ballot.delete()
    audit_record(community=locked.community, actor=voter, action="budget.ballot_withdraw", target=locked)


# Voting codes and the booth -------------------------------------------------------------------


def code_hash(code: str) -> str:
    """A keyed hash: a stolen database alone does not let anyone test guessed codes."""
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hmac.new(
        settings.SECRET_KEY.encode(), f"budget-code:{normal}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def voting_codes_issue(*, cycle: Cycle, count: int, by: Membership | None) -> list[str]:
    """Make ``count`` one-time codes. Only their hashes are kept: print them now (codes_pdf)."""
    if cycle.eligibility != Eligibility.CODES:
        raise Conflict(_("This cycle does not use voting codes; choose that eligibility when setting it up."))
    if cycle.is_counted:
        raise Conflict(_("This cycle has been counted; no more codes can be issued."))
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_CODES:
        raise InvalidInput(_("Issue from 1 to %(n)d codes at a time.") % {"n": MAX_CODES}, field="count")
    codes = ["".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(count)]
    VotingCode.objects.bulk_create([VotingCode(cycle=cycle, code_hash=code_hash(c)) for c in codes])
    audit_record(
        community=cycle.community,
        actor=by,
        action="budget.codes_issue",
        target=cycle,
        summary=str(count),
        data={"count": count},
    )
    return codes


@transaction.atomic
def booth_vote(*, cycle: Cycle, code: str, district: District | None, choices: Sequence[Choice]) -> Ballot:
    """Vote with a one-time code (no account); the code is spent and cannot vote again."""
    locked = _open_for_ballots(cycle)
    found = (
        VotingCode.objects.select_for_update().filter(cycle=locked, code_hash=code_hash(code or "")).first()
    )
    if found is None:
        raise InvalidInput(
            _("This voting code is not valid for this cycle. Check it and try again."), field="code"
        )
    if found.used_at is not None:
        raise Conflict(_("This voting code has already been used."))
    by_code = _check(locked, district, choices)
    ballot = Ballot.objects.create(
        cycle=locked, district=district, voting_code=found, channel=Ballot.Channel.BOOTH, ref=_new_ref()
    )
    _write_entries(ballot, by_code, choices)
    found.used_at = timezone.now()
    found.save(update_fields=["used_at"])
    audit_record(community=locked.community, actor=None, action="budget.booth_vote", target=locked)
    return ballot


# Paper ballots ----------------------------------------------------------------------------------


def _teller_may(cycle: Cycle, by: Membership) -> None:
    if by.community_id != cycle.community_id:
        raise PermissionDenied(_("Only this community's tellers enter its paper ballots."))


@transaction.atomic
def paper_ballots_enter(
    *,
    cycle: Cycle,
    by: Membership,
    district: District | None,
    ballots: Sequence[Sequence[Choice]],
    batch: str = "",
) -> list[Ballot]:
    """A teller enters one paper ballot or a batch; none counts until a second teller confirms it.

    All or nothing: a batch with one bad ballot is refused whole, with the ballot's number.
    """
    locked = _open_for_ballots(cycle)
    _teller_may(locked, by)
    if not ballots:
        raise InvalidInput(_("Enter at least one ballot."), field="ballots")
    if len(ballots) > MAX_BATCH:
        raise InvalidInput(_("Enter at most %(n)d ballots at a time.") % {"n": MAX_BATCH}, field="ballots")
    batch = batch or timezone.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)
    made = []
    for number, choices in enumerate(ballots, start=1):
        try:
            by_code = _check(locked, district, choices)
        except InvalidInput as exc:
            raise InvalidInput(
                _("Ballot %(n)d: %(problem)s") % {"n": number, "problem": exc.detail}, field="ballots"
            ) from None
        ballot = Ballot.objects.create(
            cycle=locked,
            district=district,
            channel=Ballot.Channel.PAPER,
            confirmed=False,
            entered_by=by,
            batch=batch,
            ref=_new_ref(),
        )
        _write_entries(ballot, by_code, choices)
        made.append(ballot)
    audit_record(
        community=locked.community,
        actor=by,
        action="budget.paper_enter",
        target=locked,
        summary=batch,
        data={"batch": batch, "count": len(made)},
    )
    return made


@transaction.atomic
def paper_batch_confirm(*, cycle: Cycle, by: Membership, batch: str) -> int:
    """A second teller confirms a batch they did not enter; only then are its ballots counted."""
    locked = _open_for_ballots(cycle)
    _teller_may(locked, by)
    waiting = Ballot.objects.select_for_update().filter(
        cycle=locked, batch=batch, channel=Ballot.Channel.PAPER, confirmed=False
    )
    rows = list(waiting)
    if not rows:
        raise NotFound(_("There is no batch of paper ballots waiting with this label."))
    if any(b.entered_by_id == by.pk for b in rows):
        raise Conflict(_("A second teller must confirm: you entered these ballots yourself."))
    Ballot.objects.filter(pk__in=[b.pk for b in rows]).update(confirmed=True, confirmed_by=by)
    audit_record(
        community=locked.community,
        actor=by,
        action="budget.paper_confirm",
        target=locked,
        summary=batch,
        data={"batch": batch, "count": len(rows)},
    )
    return len(rows)


@transaction.atomic
def paper_batch_discard(*, cycle: Cycle, by: Membership, batch: str) -> int:
    """Throw away an unconfirmed batch entered by mistake (confirmed ballots stay)."""
    locked = _open_for_ballots(cycle)
    _teller_may(locked, by)
    rows = Ballot.objects.filter(cycle=locked, batch=batch, channel=Ballot.Channel.PAPER, confirmed=False)
    ids = list(rows.values_list("pk", flat=True))
    if not ids:
        raise NotFound(_("There is no batch of paper ballots waiting with this label."))
    BallotEntry.objects.filter(ballot_id__in=ids).delete()
    Ballot.objects.filter(pk__in=ids).delete()
    audit_record(
        community=locked.community,
        actor=by,
        action="budget.paper_discard",
        target=locked,
        summary=batch,
        data={"batch": batch, "count": len(ids)},
    )
    return len(ids)


def parse_choices(text: str, ballot_type: str) -> list[Choice]:
    """Read one ballot written as project codes: "3, 7, 12" (approval, knapsack), in order of
    preference for ranked ballots, or "3:5, 7:2" (code:points) for cumulative ones."""
    choices: list[Choice] = []
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    for position, part in enumerate(parts, start=1):
        if ballot_type == BallotType.CUMULATIVE:
            code, _sep, pts = part.partition(":")
            if not pts.strip().isdigit():
                raise InvalidInput(
                    _("Write each choice as project:points, for example 3:5; “%(part)s” is not.")
                    % {"part": part},
                    field="ballots",
                )
            choices.append((code.strip(), int(pts)))
        elif ballot_type == BallotType.RANKED:
            choices.append((part, position))
        else:
            choices.append((part, 1))
    return choices


def paper_csv_parse(cycle: Cycle, text: str) -> dict[District | None, list[list[Choice]]]:
    """Read a CSV of paper ballots: columns ``district`` (optional, its name) and ``vote``
    (project codes separated by commas, in order for ranked ballots) and, for cumulative
    ballots, ``points`` (one number per project)."""
    try:
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    except csv.Error as exc:
        raise InvalidInput(_("This is not a readable CSV file (%(e)s).") % {"e": exc}, field="file") from None
    if not rows or "vote" not in (rows[0].keys() if rows else ()):
        raise InvalidInput(_("The CSV file needs a header line with a “vote” column."), field="file")
    districts = {d.name.lower(): d for d in cycle.districts.all()}
    out: dict[District | None, list[list[Choice]]] = {}
    for line, row in enumerate(rows, start=2):
        name = (row.get("district") or "").strip().lower()
        district = None
        if name:
            if name not in districts:
                raise InvalidInput(
                    _("Line %(n)d: there is no district called “%(d)s”.") % {"n": line, "d": row["district"]},
                    field="file",
                )
            district = districts[name]
        codes = [c.strip() for c in (row.get("vote") or "").split(",") if c.strip()]
        if cycle.ballot_type == BallotType.CUMULATIVE:
            pts = [p.strip() for p in (row.get("points") or "").split(",") if p.strip()]
            if len(pts) != len(codes) or not all(p.isdigit() for p in pts):
                raise InvalidInput(
                    _("Line %(n)d: give one number of points for each project.") % {"n": line}, field="file"
                )
            choices = [(c, int(p)) for c, p in zip(codes, pts, strict=True)]
        elif cycle.ballot_type == BallotType.RANKED:
            choices = [(c, i) for i, c in enumerate(codes, start=1)]
        else:
            choices = [(c, 1) for c in codes]
        out.setdefault(district, []).append(choices)
    return out


@transaction.atomic
def paper_csv_import(*, cycle: Cycle, by: Membership, text: str) -> list[Ballot]:
    """Import a CSV of paper ballots as one batch awaiting a second teller (all or nothing)."""
    groups = paper_csv_parse(cycle, text)
    batch = "csv-" + timezone.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)
    made: list[Ballot] = []
    for district, ballots in groups.items():
        made += paper_ballots_enter(cycle=cycle, by=by, district=district, ballots=ballots, batch=batch)
    return made
