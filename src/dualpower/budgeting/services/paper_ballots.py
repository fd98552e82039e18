"""Voting without an account or without a screen: one-time voting codes at the booth, and paper
ballots entered by one teller and confirmed by a second (one by one, in batches or as a CSV file)."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import secrets
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.budgeting.models import (
    Ballot,
    BallotEntry,
    BallotType,
    Cycle,
    District,
    Eligibility,
    VotingCode,
)
from dualpower.budgeting.services.ballots import (
    Choice,
    ballot_proposals,
    check_choices,
    new_ref,
    open_for_ballots,
    write_entries,
)
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.members.models import Membership

# Voting codes: no letters that are easily mixed up on paper (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES = 5000
MAX_BATCH = 2000


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
    locked = open_for_ballots(cycle)
    found = (
        VotingCode.objects.select_for_update().filter(cycle=locked, code_hash=code_hash(code or "")).first()
    )
    if found is None:
        raise InvalidInput(
            _("This voting code is not valid for this cycle. Check it and try again."), field="code"
        )
    if found.used_at is not None:
        raise Conflict(_("This voting code has already been used."))
    by_code = check_choices(locked, district, choices)
    ballot = Ballot.objects.create(
        cycle=locked, district=district, voting_code=found, channel=Ballot.Channel.BOOTH, ref=new_ref()
    )
    write_entries(ballot, by_code, choices)
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
    locked = open_for_ballots(cycle)
    _teller_may(locked, by)
    if not ballots:
        raise InvalidInput(_("Enter at least one ballot."), field="ballots")
    if len(ballots) > MAX_BATCH:
        raise InvalidInput(_("Enter at most %(n)d ballots at a time.") % {"n": MAX_BATCH}, field="ballots")
    batch = batch or timezone.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)
    on_ballot = ballot_proposals(locked, district)
    checked = []
    for number, choices in enumerate(ballots, start=1):
        try:
            checked.append((check_choices(locked, district, choices, on_ballot), choices))
        except InvalidInput as exc:
            raise InvalidInput(
                _("Ballot %(n)d: %(problem)s") % {"n": number, "problem": exc.detail}, field="ballots"
            ) from None
    # Written in bulk: a batch of hundreds of paper ballots is saved in a few queries.
    made = Ballot.objects.bulk_create(
        [
            Ballot(
                cycle=locked, district=district, channel=Ballot.Channel.PAPER, confirmed=False, entered_by=by,
                batch=batch, ref=new_ref(),
            )
            for _ in checked
        ]
    )  # fmt: skip
    BallotEntry.objects.bulk_create(
        [
            BallotEntry(ballot=ballot, proposal=by_code[code], points=points)
            for ballot, (by_code, choices) in zip(made, checked, strict=True)
            for code, points in choices
        ]
    )
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
    locked = open_for_ballots(cycle)
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
    locked = open_for_ballots(cycle)
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
