"""API for sortition panels: parse → check rule → call service → schema."""

from ninja import Router

router = Router(tags=["sortition panels"])
