"""Fixtures shared by every test: a community, and one person in each role.

The roles every permission matrix sweeps are ``ROLES`` in dualpower/members/tests/factories.py.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

# Fixtures for tests that talk to another server (federation_site, node).
pytest_plugins = ["dualpower.federation.tests.fixtures"]


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render without a collected static manifest (make run collects it; tests need not).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Background jobs (emails...) run at once, after the transaction commits, inside the test.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _no_fragments_kept_from_another_test() -> None:
    """Kept fragments (web/fragments.py) are keyed by the database's state, which a test database
    rolled back (SQLite's count of writes goes back with it) can meet again with other rows."""
    from dualpower.web import fragments

    fragments.store.clear()
    fragments.request_ends()  # no request's state outlives it (a test's own, say)


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request in Spanish leaves Spanish active in the thread (LocaleMiddleware activates it and
    never resets it): the next test in the same worker must not inherit it."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def _flush_can_empty_the_audit_log() -> None:
    """Let transactional tests end: Django empties every table after them with DELETE on SQLite,
    which the audit log's append-only triggers refuse. Only in tests, the flush lifts the triggers
    and puts them back. (PostgreSQL flushes with TRUNCATE, which row triggers do not see.)"""
    import importlib

    # The backend's base module first: importing operations alone is circular when SQLite is not
    # the configured database.
    import django.db.backends.sqlite3.base  # noqa: F401
    from django.db.backends.sqlite3.operations import DatabaseOperations

    migration = importlib.import_module("dualpower.community.migrations.0002_audit_append_only")
    original = DatabaseOperations.sql_flush

    def sql_flush(
        self: Any, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ):  # type: ignore[no-untyped-def]
        statements = original(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if statements and "community_auditentry" in tables:
            return [*migration.SQLITE_DOWN, *statements, *migration.SQLITE_UP]
        return statements

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


@pytest.fixture(scope="session")
def instance_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One instance set up by `dualpower init` for the whole run (every pytest-xdist worker shares
    it; tests/federation/nodes.py makes it): the test database and every test that only needs a set-up
    instance start from a copy. Migrating from nothing costs about 25 CPU seconds; a copy, none."""
    from tests.federation.nodes import instance_template as made_once
    from tests.federation.nodes import shared_directory

    # make test hands its three passes one folder (DP_TEST_SHARED): the browser pass then copies the
    # SQLite pass's instance instead of making its own (PostgreSQL's is made apart, in its own folder).
    shared = os.environ.get("DP_TEST_SHARED")
    with made_once(Path(shared) if shared else shared_directory(tmp_path_factory)) as template:
        yield template


@pytest.fixture(scope="session")
def django_db_keepdb(
    request: pytest.FixtureRequest, django_db_createdb: bool, django_db_modify_db_settings: None
) -> Iterator[bool]:
    """The test database starts as a copy of ``instance_template``'s database (the migrations ran
    once there, by `dualpower init`); pytest-django then keeps it, so its `migrate` only checks that
    nothing is left to apply (and applies it if something is). We remove the copy at the end.
    --reuse-db, --create-db and --no-migrations keep pytest-django's own behaviour."""
    config = request.config
    if config.getvalue("reuse_db") or django_db_createdb or config.getvalue("nomigrations"):
        yield bool(config.getvalue("reuse_db"))
        return
    from tests.instances import database_for_tests_drop, database_for_tests_from

    made = database_for_tests_from(request.getfixturevalue("instance_template"))
    yield True
    database_for_tests_drop(made)


@pytest.fixture
def shared_data() -> Any:
    """``shared_data("stv", "blt")`` is ../shared/stv/blt, or a failure saying what is missing."""
    from tests.shared_data import shared

    return shared


@pytest.fixture
def pabulib(shared_data: Any) -> Path:
    """../shared/pabulib: the real participatory budgeting elections (fails if it is missing)."""
    return shared_data("pabulib")


@pytest.fixture
def community(db: None) -> Any:
    from dualpower.members.tests.factories import CommunityFactory

    return CommunityFactory.create(
        name="Riverside Mutual Aid", slug="riverside", application_questions=["Why do you want to join?"]
    )


@pytest.fixture
def other_community(db: None) -> Any:
    from dualpower.members.tests.factories import CommunityFactory

    return CommunityFactory.create(name="Hilltop Tenants", slug="hilltop")


@pytest.fixture
def people(community: Any, other_community: Any) -> dict[str, Any]:
    """One user per role (None for anonymous). Memberships are reachable as user.memberships."""
    from dualpower.members.models import Membership
    from dualpower.members.tests.factories import ApplicationFactory, MembershipFactory, UserFactory

    def person(community: Any, role: str, name: str) -> Any:
        return MembershipFactory.create(community=community, role=role, display_name=name).user

    applicant = UserFactory.create(email="applicant@example.org")
    ApplicationFactory.create(community=community, user=applicant, answers=["I live here."])
    return {
        "anonymous": AnonymousUser(),
        "applicant": applicant,
        "observer": person(community, Membership.Role.OBSERVER, "Olu"),
        "member": person(community, Membership.Role.MEMBER, "Mara"),
        "coordinator": person(community, Membership.Role.COORDINATOR, "Cato"),
        "outsider": person(other_community, Membership.Role.MEMBER, "Otto"),
    }


@pytest.fixture
def client_for(client: Any, people: dict[str, Any]) -> Any:
    """``client_for("member")`` is a test client signed in as that role."""

    def make(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        return client

    return make


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    # DP_ONLY_DB_SENSITIVE=1 (make test's PostgreSQL pass) keeps only the tests marked db_sensitive.
    # Tests that need PostgreSQL itself run in make test's PostgreSQL pass; elsewhere they are
    # deselected rather than skipped, so a skip always means something is missing.
    on_postgres = (os.environ.get("DP_DATABASE_URL") or os.environ.get("DATABASE_URL") or "").startswith(
        "postgres"
    )
    if not on_postgres:
        postgres_only = [i for i in items if i.get_closest_marker("postgres_only")]
        if postgres_only:
            config.hook.pytest_deselected(items=postgres_only)
            items[:] = [i for i in items if i not in postgres_only]
    if on_postgres:
        # A case marked sqlite_pass_only runs the same code as a sibling that does run on
        # PostgreSQL (the fuzz as a member, say): the PostgreSQL pass would only repeat it.
        repeats = [i for i in items if i.get_closest_marker("sqlite_pass_only")]
        if repeats:
            config.hook.pytest_deselected(items=repeats)
            items[:] = [i for i in items if i not in repeats]
    if os.environ.get("DP_ONLY_DB_SENSITIVE") == "1":
        keep = [i for i in items if i.get_closest_marker("db_sensitive")]
        config.hook.pytest_deselected(items=[i for i in items if i not in keep])
        items[:] = keep
