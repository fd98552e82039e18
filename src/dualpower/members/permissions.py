"""Kept for the members app's imports: the check lives in dualpower.web.permissions."""

from __future__ import annotations

from dualpower.web.permissions import check as check_perm

__all__ = ["check_perm"]
