"""API for land trust: parse → check rule → call service → schema."""

from ninja import Router

router = Router(tags=["land trust"])
