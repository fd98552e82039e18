"""The domain errors: each has a stable ``code``, an HTTP status and a sentence for people.

Services raise them; one ninja exception handler (api.py) and one middleware
(web/middleware.py) turn them into ``{"detail": ..., "code": ...}`` or a page message.
Nothing else builds error responses.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "invalid"
    status = 400
    default_detail = _("This request cannot be carried out.")

    def __init__(self, detail: str | None = None, *, field: str | None = None) -> None:
        self.detail = str(detail) if detail is not None else str(self.default_detail)
        self.field = field
        super().__init__(self.detail)

    def as_dict(self) -> dict[str, str]:
        out = {"detail": self.detail, "code": self.code}
        if self.field:
            out["field"] = self.field
        return out


class InvalidInput(DomainError):
    code = "invalid"
    status = 400


class NotAuthenticated(DomainError):
    code = "not_authenticated"
    status = 401
    default_detail = _("Sign in to do this.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_detail = _("You do not have permission to do this.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_detail = _("Not found.")


class Conflict(DomainError):
    """The request is valid but the state of things forbids it (already a member, closed...)."""

    code = "conflict"
    status = 409


class TooManyRequests(DomainError):
    """Past a rate limit (or refused as if it were): try again later."""

    code = "rate_limited"
    status = 429
    default_detail = _("Too many at once from here: wait a few minutes, then try again.")
