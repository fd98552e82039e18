"""API for members, applications and tokens."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["members"])
