"""What the ledger's services share: a limit or policy value is a whole number within the bounds
every balance keeps (``MAX_AMOUNT``, so sums stay inside a 64-bit column)."""

from __future__ import annotations

from dualpower.clean import MAX_AMOUNT, clean_int


def whole_amount(value: object, *, field: str, label: str) -> int:
    """A whole number of the smallest unit, positive or negative, within ``MAX_AMOUNT``."""
    return clean_int(value, field=field, label=label, low=-MAX_AMOUNT, high=MAX_AMOUNT)
