"""Amounts of money as people read them: integers in cents in, text out."""

from __future__ import annotations


def money(cents: int | None, currency: str = "") -> str:
    """123456 → "1,234.56 EUR"; whole amounts drop the cents: 100000 → "1,000 EUR"."""
    if cents is None:
        return "—"
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    text = f"{sign}{whole:,}" if part == 0 else f"{sign}{whole:,}.{part:02d}"
    return f"{text} {currency}".strip()
