"""The commons' own refusals (DomainErrors: a sentence and a 4xx, never a 500)."""

from __future__ import annotations

from dualpower.errors import DomainError


class LicenceForbidsCopy(DomainError):
    """Its licence does not let anyone copy it: "all rights reserved", or one we cannot read."""

    code = "licence_forbids_copy"
    status = 403
