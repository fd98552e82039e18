"""The ledger's clock jobs (registered in registrations.py): demurrage once a month, and payment
requests past their date expire."""

from __future__ import annotations

from datetime import datetime

from dualpower.ledger.services import demurrage_charge_all, invoices_expire


def charge_demurrage(now: datetime) -> str:
    runs = demurrage_charge_all(now=now)
    return f"demurrage charged in {len(runs)} currencies" if runs else ""


def expire_invoices(now: datetime) -> str:
    n = invoices_expire(now=now)
    return f"{n} payment requests expired" if n else ""
