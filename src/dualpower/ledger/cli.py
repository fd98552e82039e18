"""`dualpower ledger ...`: filled in by the ledger app (check, export)."""

from __future__ import annotations

from collections.abc import Sequence


def main(argv: Sequence[str]) -> int:
    from dualpower.errors import InvalidInput

    raise InvalidInput("The ledger commands are not built yet.")
