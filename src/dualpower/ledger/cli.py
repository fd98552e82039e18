"""`dualpower ledger check` and `dualpower ledger export [--currency CODE] [--output FILE]`.

check: recompute every balance from the transfers and every pending amount from the open
payment requests; exit 1 listing each difference, else print "ok" with the counts.
export: every transfer as CSV (to stdout, or --output FILE).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from dualpower.errors import InvalidInput
from dualpower.spreadsheet import csv_writer


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InvalidInput(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dualpower ledger", description="The ledger's check and export.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="recompute every balance from the transfers; exit 1 on any difference")
    export = sub.add_parser("export", help="all transfers as CSV")
    export.add_argument("--currency", help="only this currency (its short name; community/code if ambiguous)")
    export.add_argument("--output", help="write to this file instead of stdout")
    return parser


def _currency(spec: str):
    from dualpower.ledger.models import Currency

    if "/" in spec:
        community, code = spec.split("/", 1)
        matches = list(Currency.objects.filter(community__slug=community, code=code))
    else:
        matches = list(Currency.objects.filter(code=spec))
    if not matches:
        raise InvalidInput(f"There is no currency “{spec}”.")
    if len(matches) > 1:
        raise InvalidInput(f"Several communities have a currency “{spec}”: write community/{spec}.")
    return matches[0]


def main(argv: Sequence[str]) -> int:
    from dualpower.ledger import selectors

    args = _parser().parse_args(list(argv))
    if args.command == "check":
        report = selectors.ledger_check()
        if report.ok:
            counts = (
                f"{report.currencies} currencies, {report.accounts} accounts, {report.transfers} transfers"
            )
            print(f"ok: {counts}")
            return 0
        for problem in report.problems:
            print(problem)
        print(f"{len(report.problems)} problems found", file=sys.stderr)
        return 1
    currency = _currency(args.currency) if args.currency else None
    rows = selectors.export_rows(currency=currency)
    if args.output:
        with open(args.output, "w", newline="", encoding="utf-8") as out:
            writer = csv_writer(out)
            n = -1
            for row in rows:
                writer.writerow(row)
                n += 1
        print(f"{n} transfers written to {args.output}", file=sys.stderr)
    else:
        writer = csv_writer(sys.stdout)
        for row in rows:
            writer.writerow(row)
    return 0
