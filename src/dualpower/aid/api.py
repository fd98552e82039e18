"""API for mutual aid: parse → check rule → call service → schema."""

from ninja import Router

router = Router(tags=["mutual aid"])
