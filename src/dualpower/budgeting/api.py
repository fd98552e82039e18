"""API for participatory budgeting: parse → check rule → call service → schema."""

from ninja import Router

router = Router(tags=["participatory budgeting"])
