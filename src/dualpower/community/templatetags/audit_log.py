"""``{{ entry|audit_sentence }}``: an audit entry as a sentence in the reader's language."""

from __future__ import annotations

from django import template

from dualpower.community.hooks import audit_sentence as _audit_sentence
from dualpower.community.models import AuditEntry

register = template.Library()


@register.filter
def audit_sentence(entry: AuditEntry) -> str:
    return _audit_sentence(entry)
