"""API for ledger: parse → check rule → call service → schema."""

from ninja import Router

router = Router(tags=["ledger"])
