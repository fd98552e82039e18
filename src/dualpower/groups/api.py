"""API for working groups."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["working groups"])
