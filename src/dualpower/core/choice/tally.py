"""`dualpower tally`: count a ballot file with a named rule and print the result.

    dualpower tally FILE.pb --rule {greedy,greedy-threshold,greedy-no-skip,mes,phragmen}
        [--completion {none,add1,add1u,utilitarian}] [--tie-break {equalshares,project-id,order:ID,ID,...}]
        [--seed N] [--threshold N] [--float] [--json] [--explain VOTER_ID]
    dualpower tally FILE.blt --rule {scottish-stv,meek,wigm,irv,schulze} [--seats N]
        [--tie-break order:ID,...] [--seed N] [--json]

The command never loads Django and imports each rule only when it is asked for. Any problem with
the input (missing or malformed file, a rule that does not fit the file, a bad option) is printed
as one sentence on stderr with exit status 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from dualpower.core.choice.formats.errors import FormatError
from dualpower.core.choice.tally_output import json_default, pb_report, progress

if TYPE_CHECKING:
    from dualpower.core.choice.ranked.outcome import RankedOutcome

PB_RULES = ("greedy", "greedy-threshold", "greedy-no-skip", "mes", "phragmen")
BLT_RULES = ("scottish-stv", "meek", "wigm", "irv", "schulze")
COMPLETIONS = ("none", "add1", "add1u", "utilitarian")
# META key pabulib uses for the minimum score a project needs (e.g. Poland_Katowice_2023).
THRESHOLD_META_KEY = "min_project_score_threshold"


class UsageError(Exception):
    """A bad command line or a rule that does not fit the file: one sentence, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message[0].upper() + message[1:] + ".")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dualpower tally",
        description="Count a participatory budgeting (.pb) or ranked-ballot (.blt) file.",
    )
    parser.add_argument("file", help="a pabulib .pb file or a .blt file")
    parser.add_argument(
        "--rule", choices=PB_RULES + BLT_RULES, help="default: mes for .pb, scottish-stv for .blt"
    )
    parser.add_argument(
        "--completion", choices=COMPLETIONS, help="how MES spends what is left (default add1)"
    )
    parser.add_argument(
        "--tie-break",
        metavar="{equalshares,project-id,order:ID,ID,...}",
        help="how ties are broken (default: equalshares for .pb, the file's order for .blt)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        help="seed of the lot that breaks the last ties (default: equalshares 0; .blt: file order)",
    )
    parser.add_argument("--threshold", type=int, help="greedy-threshold: minimum score (default: from META)")
    parser.add_argument(
        "--float", action="store_true", help="MES in floating point (a preview, not official)"
    )
    parser.add_argument("--explain", metavar="VOTER_ID", help="MES: what this voter's share paid for")
    parser.add_argument("--seats", type=int, help="seats to fill (default: from the .blt file)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a report")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `dualpower tally` with ``argv`` (without the program name); return the exit status."""
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    except UsageError as error:
        return _fail(str(error))
    except SystemExit as done:  # --help prints and exits 0
        return int(done.code or 0)
    try:
        result, text = _tally(args)
    except ImportError as error:
        return _fail(f"The rule {args.rule} is not available in this installation ({error}).")
    except (UsageError, FormatError, ValueError, OSError) as error:
        return _fail(str(error) or type(error).__name__)
    if args.json:
        sys.stdout.write(json.dumps(result, default=json_default, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(text)
    return 0


def _fail(message: str) -> int:
    print(f"dualpower tally: {message}", file=sys.stderr)
    return 2


def _tally(args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    path = Path(args.file)
    kind = path.suffix.lower()
    if kind not in (".pb", ".blt"):
        raise UsageError(f"{path} is neither a .pb nor a .blt file.")
    if not path.exists():
        raise UsageError(f"{path}: no such file.")
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a ballot file.")
    if kind == ".pb":
        args.rule = args.rule or "mes"
        if args.rule not in PB_RULES:
            raise UsageError(f"--rule {args.rule} counts ranked ballots (.blt files), not a .pb file.")
        return _tally_pb(path, args)
    args.rule = args.rule or "scottish-stv"
    if args.rule not in BLT_RULES:
        raise UsageError(f"--rule {args.rule} counts participatory budgeting (.pb) files, not a .blt file.")
    return _tally_blt(path, args)


def _only(args: argparse.Namespace, option: str, allowed: bool, where: str) -> None:
    value = getattr(args, option.removeprefix("--").replace("-", "_"))
    if value is not None and value is not False and not allowed:
        raise UsageError(f"{option} applies only to {where}.")


def _tally_pb(path: Path, args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    rule = args.rule
    _only(args, "--seats", False, ".blt files")
    for option in ("--completion", "--float", "--explain"):
        _only(args, option, rule == "mes", "--rule mes")
    _only(args, "--threshold", rule == "greedy-threshold", "--rule greedy-threshold")
    tie_break = _pb_tie_break(args.tie_break or "equalshares", args.seed)

    from dualpower.core.choice.formats.pb import read_pb

    with progress(f"Reading {path.name}"):
        election = read_pb(path)
    if args.explain is not None and args.explain not in election.ballots.voter_ids:
        raise UsageError(f"No voter {args.explain!r} in {path.name}.")
    with progress(f"Counting {path.name} with {rule}") as note:
        if rule == "mes":
            from dualpower.core.choice.pb.mes import Completion, equal_shares

            completion: Completion = args.completion or "add1"
            outcome = equal_shares(
                election,
                completion=completion,
                tie_break=tie_break,
                exact=not args.float,
                progress=lambda step: note(f"add1 step {step:,}"),
            )
        elif rule == "phragmen":
            from dualpower.core.choice.pb.phragmen import phragmen

            outcome = phragmen(election, tie_break=tie_break)
        else:
            from dualpower.core.choice.pb.greedy import greedy

            threshold = _threshold(election.meta, args.threshold) if rule == "greedy-threshold" else 0
            outcome = greedy(
                election, threshold=threshold, skip=rule != "greedy-no-skip", tie_break=tie_break
            )
    result = {"file": str(path), **outcome.to_json()}
    voter = None
    if args.explain is not None:
        from dualpower.core.choice.pb.mes import explain_voter

        voter = explain_voter(election, outcome, args.explain)
        result["voter"] = voter
    return result, pb_report(path, election, outcome, voter)


def _pb_tie_break(text: str, seed: int | None) -> Any:
    from dualpower.core.choice.pb.tiebreak import TieBreak

    if text == "equalshares":
        return TieBreak("equalshares", seed=0 if seed is None else seed)
    if seed is not None:
        raise UsageError("--seed applies only to the equalshares tie-break, whose last step is a lot.")
    if text == "project-id":
        return TieBreak("project-id")
    if text.startswith("order:") and text.removeprefix("order:").strip(","):
        return TieBreak("order", order=_ids(text))
    raise UsageError(f"--tie-break must be equalshares, project-id or order:ID,ID,..., not {text!r}.")


def _ids(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.removeprefix("order:").split(",") if part.strip())


def _threshold(meta: Any, given: int | None) -> int:
    if given is not None:
        return given
    if THRESHOLD_META_KEY not in meta:
        raise UsageError(f"greedy-threshold needs --threshold N or {THRESHOLD_META_KEY} in the file's META.")
    try:
        return int(meta[THRESHOLD_META_KEY])
    except ValueError:
        raise UsageError(f"{THRESHOLD_META_KEY} in META is not a whole number.") from None


def _tally_blt(path: Path, args: argparse.Namespace) -> tuple[dict[str, Any], str]:
    rule = args.rule
    for option in ("--completion", "--float", "--explain", "--threshold"):
        _only(args, option, False, ".pb files")
    _only(args, "--tie-break", rule == "schulze", "--rule schulze among the ranked rules")
    if args.seats is not None and args.seats < 1:
        raise UsageError("--seats must be 1 or more.")
    if rule == "irv" and args.seats not in (None, 1):
        raise UsageError("IRV fills one seat; use scottish-stv, meek or wigm for more.")

    from dualpower.core.choice.formats.blt import read_blt

    with progress(f"Reading {path.name}"):
        election = read_blt(path)
    seats = election.seats if args.seats is None else args.seats
    outcome: RankedOutcome
    with progress(f"Counting {path.name} with {rule}"):
        if rule == "schulze":
            from dualpower.core.choice.ranked.condorcet import schulze

            order = None
            if args.tie_break is not None:
                if not args.tie_break.startswith("order:"):
                    raise UsageError("--tie-break for schulze must be order:ID,ID,... (candidate ids).")
                order = _ids(args.tie_break)
            outcome = schulze(election, seats=seats, tie_break_order=order, lot_seed=args.seed)
        elif rule == "irv":
            from dualpower.core.choice.ranked.irv import irv

            outcome = irv(election, lot_seed=args.seed)
        elif rule == "scottish-stv":
            from dualpower.core.choice.ranked.stv import scottish_stv

            outcome = scottish_stv(election, seats=seats, lot_seed=args.seed)
        elif rule == "meek":
            from dualpower.core.choice.ranked.stv import meek_stv

            outcome = meek_stv(election, seats=seats, lot_seed=args.seed)
        else:
            from dualpower.core.choice.ranked.stv import wigm

            outcome = wigm(election, seats=seats, lot_seed=args.seed)
    return {"file": str(path), **outcome.to_json()}, outcome.report()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
