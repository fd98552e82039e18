"""`dualpower opinions`: the opinion map of a Polis export folder.

    dualpower opinions FOLDER [--json] [--from-polis-state] [--replay] [--meta ID,ID...]

FOLDER holds Polis' comments.csv and votes.csv (and, for --from-polis-state, participants-votes.csv).
The command never loads Django. Any problem with the input is one sentence on stderr, exit 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from dualpower.core.opinions.engine import opinion_map, polis_map
from dualpower.core.opinions.model import OpinionMap, OpinionsError
from dualpower.core.opinions.polis_export import polis_groups, read_folder


class UsageError(Exception):
    """A bad command line: one sentence, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message[0].upper() + message[1:] + ".")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dualpower opinions",
        description="Map the opinion groups of a Polis conversation export (Polis' method): who is "
        "in which group, the statements that set each group apart, and those every group agrees on.",
    )
    parser.add_argument("folder", help="a Polis export folder with comments.csv and votes.csv")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a report")
    parser.add_argument(
        "--from-polis-state",
        action="store_true",
        help="start from the groups Polis itself exported (participants-votes.csv, group-id), as "
        "Polis' next update would: who was mapped stays mapped, the number of groups is kept",
    )
    parser.add_argument(
        "--replay",
        action="store_true",
        help="replay Polis' updates in the order of the votes' timestamps, each starting from the "
        "last, as a Polis server computed the groups (closer to the groups Polis showed; slower)",
    )
    parser.add_argument(
        "--meta",
        default="",
        metavar="ID,ID...",
        help="the statements marked meta in Polis (about the participants themselves, e.g. "
        "demographics): Polis leaves them out of the map, but its export does not say which they are",
    )
    return parser


def as_dict(result: OpinionMap, texts: dict[str, str] | None = None) -> dict[str, Any]:
    """The map as plain JSON-ready data."""
    texts = texts or {}
    return {
        "participants": len(result.participant_ids),
        "mapped": int(result.in_conversation.sum()),
        "groups": {pid: g for pid, g in result.group_of.items()},
        "group_sizes": [len(members) for members in result.groups],
        "silhouettes": {str(k): round(v, 6) for k, v in sorted(result.silhouettes.items())},
        "representative": [
            [
                {
                    "statement": r.statement_id,
                    "text": texts.get(r.statement_id, ""),
                    "repful_for": r.repful_for,
                    "n_success": r.n_success,
                    "n_trials": r.n_trials,
                    "p_success": round(r.p_success, 6),
                    "p_test": round(r.p_test, 6),
                    "repness": round(r.repness, 6),
                    "repness_test": round(r.repness_test, 6),
                    "best_agree": r.best_agree,
                }
                for r in group
            ]
            for group in result.repness
        ],
        "consensus": [
            {
                "statement": c.statement_id,
                "text": texts.get(c.statement_id, ""),
                "direction": c.direction,
                "score": round(c.score, 6),
                "per_group": [round(p, 6) for p in c.per_group],
            }
            for c in result.consensus
        ],
        "group_aware_consensus": {k: round(v, 6) for k, v in result.group_aware_consensus.items()},
    }


def _report(data: dict[str, Any]) -> str:
    lines = [
        f"{data['participants']} participants, {data['mapped']} mapped (the others voted too little), "
        f"{len(data['group_sizes'])} groups.",
    ]
    for g, (size, reps) in enumerate(zip(data["group_sizes"], data["representative"], strict=True)):
        lines.append(f"\nGroup {g} ({size} people) stands apart on:")
        for r in reps:
            share = round(100 * r["n_success"] / max(r["n_trials"], 1))
            lines.append(
                f"  {r['repful_for']:8} {share:3}% of {r['n_trials']:4}  #{r['statement']} {r['text'][:90]}"
            )
    lines.append("\nEvery group agrees (or disagrees):")
    for c in data["consensus"] or []:
        shares = ", ".join(f"{round(100 * p)}%" for p in c["per_group"])
        lines.append(f"  {c['direction']:8} ({shares})  #{c['statement']} {c['text'][:90]}")
    if not data["consensus"]:
        lines.append("  no statement has a clear majority in every group.")
    return "\n".join(lines)


def _texts(folder: Path) -> dict[str, str]:
    import csv

    try:
        with (folder / "comments.csv").open(newline="", encoding="utf-8-sig") as handle:
            return {r["comment-id"]: r.get("comment-body") or "" for r in csv.DictReader(handle)}
    except (OSError, KeyError, UnicodeDecodeError, csv.Error):
        return {}


def main(argv: Sequence[str] | None = None) -> int:
    """Run `dualpower opinions` with ``argv`` (without the program name); return the exit status."""
    try:
        try:
            args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        except SystemExit as done:  # --help
            return int(done.code or 0)
        folder = Path(args.folder)
        meta = tuple(part.strip() for part in args.meta.split(",") if part.strip())
        votes = read_folder(folder, meta=meta)
        if not len(votes.vote):
            raise OpinionsError(f"{folder / 'votes.csv'} holds no votes: there is nothing to map.")
        before = polis_groups(folder) if args.from_polis_state else None
        result = (
            polis_map(votes) if args.replay and before is None else opinion_map(votes, groups_before=before)
        )
        data = as_dict(result, _texts(folder))
    except (UsageError, OpinionsError) as error:
        print(f"dualpower opinions: {error}", file=sys.stderr, flush=True)
        return 2
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print(_report(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
