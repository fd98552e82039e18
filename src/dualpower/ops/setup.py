"""`dualpower init`: make an instance ready to serve (idempotent, fast when nothing changed)."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from contextlib import chdir
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Say = Callable[[str], None]


def pending_migrations() -> list[str]:
    """Migrations the database has not applied yet, as ``app.name``."""
    from dualpower.community.legacy import needs_adoption

    if needs_adoption(connection):  # from before node → community: everything of it is to do
        return ["community (renamed from node)"]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def database_description() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            mode = cursor.fetchone()[0]
        return f"SQLite {db['NAME']} (journal mode {mode})"
    return f"{connection.vendor} database {db.get('NAME')} on {db.get('HOST') or 'local socket'}"


def compile_messages(say: Say) -> None:
    """Compile the .po translations shipped in the package into .mo files.

    compilemessages walks its working directory, so it runs inside the package (never the repository
    root, where it would also compile every library in .venv).
    """
    if not shutil.which("msgfmt"):
        say("Translations not compiled: install gettext (apt-get install gettext) for Spanish pages.")
        return
    package = Path(settings.BASE_DIR)
    if not any(package.glob("**/locale/*/LC_MESSAGES/*.po")):
        return
    if not os.access(package, os.W_OK):
        say(f"Translations not compiled: {package} is read-only.")
        return
    with chdir(package):
        try:
            call_command("compilemessages", verbosity=0)
        except CommandError as error:
            say(f"Translations not compiled: {error}")


def _static_fingerprint() -> str:
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for finder in get_finders():
        for path, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static() -> None:
    """collectstatic, skipped when no static file changed since the last run (it takes seconds)."""
    stamp = Path(settings.STATIC_ROOT) / ".dualpower-collected"
    fingerprint = _static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    stamp.write_text(fingerprint)


def instance_init(*, say: Say) -> None:
    """Migrate the database, compile translations and collect static files."""
    call_command("migrate", interactive=False, verbosity=0)
    compile_messages(say)
    collect_static()
    say(f"Instance ready in {settings.DP_HOME}")
    say(f"Database: {database_description()}")


def database_has_data() -> bool:
    """Whether anything a community made is in the database (accounts or communities)."""
    from django.contrib.auth import get_user_model

    from dualpower.community.models import Community

    tables = connection.introspection.table_names()
    user_model = get_user_model()
    if Community._meta.db_table not in tables or user_model._meta.db_table not in tables:
        return False
    return Community.objects.exists() or user_model.objects.exists()
