"""Fixtures for the deliberation tests."""

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
