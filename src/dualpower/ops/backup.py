"""`dualpower backup` / `dualpower restore`: the whole node in one file, and back.

A backup is a .tar.gz holding
- ``manifest.json``: format, dualpower version, when, which database, the migrations applied;
- the database: ``database.sqlite3`` for SQLite, taken with SQLite's online backup API (a consistent
  copy even while the server is writing), or ``database.json`` for PostgreSQL: what Django's dumpdata
  writes for every app (no natural keys; timestamps kept to the microsecond), read inside one
  REPEATABLE READ transaction, so it is a consistent snapshot too; it restores onto SQLite or
  PostgreSQL alike, and a SQLite backup restores onto PostgreSQL (how a node moves);
- ``media/``: the uploads (MEDIA_ROOT).

A backup leaves out live credentials (``LEFT_OUT_MODELS``, docs/operating.md): sessions, e-mail
confirmation keys and the database cache (rate-limit counters); after a restore people sign in
again. The keys that seal aid details and two-factor secrets (``dualpower.keys``) are never in it,
nor are the keys of open secret votes (DP_HOME/ballot-keys): their ballots are in it sealed, nor
federation's signing keys (DP_HOME/federation-keys): the operator keeps a copy of each apart.
A SQLite backup restored onto PostgreSQL has each NUL character (which PostgreSQL cannot store)
replaced with U+FFFD, recorded as a correction in the audit log (``ops/nul.py``).

Restoring needs an instance with no accounts or communities (or ``--force``). The audit log's
append-only triggers come with the database file (SQLite) or from the migrations (JSON), and the
database is migrated afterwards, so a backup from an older version comes back upgraded.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

import dualpower
from dualpower import keys
from dualpower.assemblies.selectors import ballot_boxes
from dualpower.community.legacy import adopt_dumped_object, adopt_migration_labels
from dualpower.community.models import AuditEntry
from dualpower.federation.keys import key_dir as federation_key_dir
from dualpower.ops.nul import record_corrections, scrub
from dualpower.ops.sealing import keys_init
from dualpower.ops.setup import database_has_data
from dualpower.ops.triggers import insert_triggers_suspended

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
JSON_FILE = "database.json"
Say = Callable[[str], None]
# Live credentials: whoever holds a backup must not be able to sign in or confirm an address with
# what is in it. Password-reset keys and login codes are not stored (signed tokens, the session).
LEFT_OUT_MODELS = ("sessions.session", "account.emailconfirmation")


class BackupError(Exception):
    """A backup or restore that cannot be done, as one sentence."""


def default_path() -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.DP_HOME) / "backups" / f"dualpower-{stamp}.tar.gz"


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def left_out_tables() -> list[str]:
    """The tables a backup leaves out: live sessions, confirmation keys, the database cache."""
    tables = []
    for label in LEFT_OUT_MODELS:
        try:
            tables.append(apps.get_model(label)._meta.db_table)
        except LookupError:  # that app is not installed
            continue
    for cache in settings.CACHES.values():
        if cache.get("BACKEND", "").endswith("DatabaseCache"):
            tables.append(str(cache["LOCATION"]))
    return tables


def _leave_out_of_sqlite(path: Path) -> None:
    """Empty the left-out tables in a SQLite copy and rewrite the file, so no deleted row is left
    behind in its free pages."""
    db = sqlite3.connect(path)
    try:
        present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in left_out_tables():
            if table in present:
                db.execute(f'DELETE FROM "{table}"')  # noqa: S608 - our own table names
        db.commit()
        db.execute("VACUUM")
    finally:
        db.close()


def _snapshot_sqlite(target: Path) -> None:
    # A connection of its own, read-only: in WAL mode it reads a consistent snapshot while the
    # server goes on writing. (Python's backup() retries forever on SQLITE_LOCKED, which a
    # connection with its own write transaction open would return; this one never has one.)
    name = str(connection.settings_dict["NAME"])
    if ":memory:" in name or "mode=memory" in name:
        raise BackupError("An in-memory database cannot be backed up.")
    source = sqlite3.connect(f"{Path(name).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        source.close()
        destination.close()
    _leave_out_of_sqlite(target)


def _snapshot_json(target: Path) -> None:
    connection.ensure_connection()
    with transaction.atomic():
        if connection.vendor == "postgresql" and not connection.savepoint_ids:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        _dump_every_model(target)


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps every microsecond."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _dump_every_model(
    target: Path, using: str = DEFAULT_DB_ALIAS, *, repair_nul: bool = False
) -> tuple[dict[int | None, list[int]], int]:
    """What `dumpdata` writes (every app but the left-out credentials, no natural keys), but with
    exact timestamps. With ``repair_nul``, each NUL in text becomes U+FFFD; returns the audit
    entries so repaired (by community) and how many other rows were."""
    left_out = set(LEFT_OUT_MODELS)
    audit_repaired: dict[int | None, list[int]] = {}
    other_repaired = 0
    app_list = [(config, None) for config in apps.get_app_configs() if config.models_module is not None]
    models = [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if not model._meta.proxy
        and model._meta.can_migrate(connections[using])
        and model._meta.label_lower not in left_out
    ]
    with target.open("w", encoding="utf-8") as out:
        out.write("[\n")
        first = True
        for model in models:
            rows = model._base_manager.using(using).order_by(model._meta.pk.name).iterator(chunk_size=2000)
            for obj in serializers.serialize("python", rows):
                if repair_nul:
                    obj["fields"], changed = scrub(obj["fields"])
                    if changed and model is AuditEntry:
                        audit_repaired.setdefault(obj["fields"]["community"], []).append(obj["pk"])
                    elif changed:
                        other_repaired += 1
                out.write(("" if first else ",\n") + json.dumps(obj, cls=_ExactEncoder, ensure_ascii=False))
                first = False
        out.write("\n]\n")
    return audit_repaired, other_repaired


def backup_create(path: Path | None = None, *, say: Say = print) -> Path:
    """Write a backup of the database and the uploads to ``path`` (default: DP_HOME/backups/)."""
    path = Path(path) if path else default_path()
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give a file name such as {path / 'node.tar.gz'}.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="dp-backup-") as tmp:
        if connection.vendor == "sqlite":
            database = Path(tmp) / SQLITE_FILE
            _snapshot_sqlite(database)
        else:
            database = Path(tmp) / JSON_FILE
            _snapshot_json(database)
        media = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        manifest = {
            "format": FORMAT,
            "dualpower_version": dualpower.__version__,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "db_vendor": connection.vendor,
            "database_file": database.name,
            "migrations": applied_migrations(),
            "media_files": len(media),
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(data))
            tar.add(database, arcname=database.name)
            for file in media:
                tar.add(file, arcname=f"media/{file.relative_to(media_root).as_posix()}")
        partial.replace(path)
    say(f"Backup written to {path} ({manifest['db_vendor']}, {len(media)} uploaded files).")
    # Deliberately not in the archive: a seized backup must not open the sealed details.
    key_files = [keys.key_path(spec) for spec in keys.ALL if not getattr(settings, spec.setting, None)]
    kept_apart = [str(path) for path in key_files if path.exists()]
    if kept_apart:
        say(
            f"The keys that seal mutual aid requests' private details and two-factor secrets are not in "
            f"the backup: keep a copy of {' and '.join(kept_apart)} somewhere else safe; without them "
            "those details cannot be read, nor two-factor sign-ins made, after a restore."
        )
    # Federation's signing keys too: whoever holds them can speak as the node's communities.
    federation_keys = federation_key_dir()
    if federation_keys.is_dir() and any(federation_keys.iterdir()):
        say(
            f"The federation keys ({federation_keys}) are not in the backup either: keep a copy of that "
            "folder somewhere else safe; a node restored without them signs with new keys, and its "
            "peers must fetch its communities' actors again before they trust what it sends."
        )
    sealed_votes = [box for box in ballot_boxes() if box[2]]
    if sealed_votes:
        say(
            f"{len(sealed_votes)} secret votes are open: their ballots are in the backup sealed, and the "
            f"keys that open them ({keys.ballot_key_dir()}) are not, so that no copy of the database "
            "can tell how anyone voted. Do not copy those keys; if this backup is ever restored "
            "without them, those votes cannot be counted: withdraw them and hold them again."
        )
    return path


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.extractfile(MANIFEST)
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("This file is not a dualpower backup (no readable manifest.json).")
    # Backups from before the `node` app was renamed `community` restore as if made after it.
    labels = list(manifest.get("migrations", []))
    manifest["migrations"] = adopt_migration_labels(labels)
    manifest["from_before_community_rename"] = manifest["migrations"] != labels
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> None:
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    unknown = sorted(set(manifest.get("migrations", [])) - known)
    if unknown:
        raise BackupError(
            f"This backup was made by a newer dualpower ({manifest.get('dualpower_version')}); "
            f"upgrade this node first (unknown migrations: {', '.join(unknown[:3])})."
        )


def _safe_members(tar: tarfile.TarFile, manifest: dict[str, Any]) -> list[tarfile.TarInfo]:
    allowed = {MANIFEST, manifest.get("database_file")}
    members = tar.getmembers()
    for member in members:
        if member.name not in allowed and not member.name.startswith("media/"):
            raise BackupError(
                f"This backup holds an unexpected file “{member.name}”; refusing to restore it."
            )
    return members


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _wipe(say: Say) -> None:
    """Empty the database before a forced restore."""
    if connection.vendor == "sqlite":
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{_sqlite_path()}{suffix}").unlink(missing_ok=True)
    else:
        # PostgreSQL's flush is a TRUNCATE, which the audit log's row triggers do not stop.
        call_command("flush", interactive=False, verbosity=0)
    say("Existing data removed (--force).")


def _restore_sqlite_file(source: Path) -> None:
    connections.close_all()
    src = sqlite3.connect(source)
    dst = sqlite3.connect(_sqlite_path())
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def _sqlite_to_json(
    source: Path, target: Path, manifest: dict[str, Any]
) -> tuple[dict[int | None, list[int]], int]:
    """Dump a SQLite backup as JSON for another database. The file (a scratch copy) is migrated
    to this version first, so that today's models read it whatever version made it; the
    manifest's migrations then say so."""
    alias = "dualpower_backup_source"
    # configure_settings fills in every default a connection needs; it insists on a "default" key.
    config = connections.configure_settings(
        {DEFAULT_DB_ALIAS: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(source)}}
    )
    connections.settings[alias] = config[DEFAULT_DB_ALIAS]
    try:
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        manifest["migrations"] = sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connections[alias]).applied_migrations()
        )
        return _dump_every_model(target, using=alias, repair_nul=True)
    finally:
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _restore_json(source: Path, manifest: dict[str, Any]) -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    # Bring the schema to where it was when the backup was made, load, then migrate forward.
    leaves: dict[str, str] = {}
    for label in manifest.get("migrations", []):
        app, name = label.split(".", 1)
        leaves[app] = max(leaves.get(app, name), name)
    _migrate_back_to(sorted(leaves.items()))
    with transaction.atomic():
        # migrate created content types and permissions with ids of its own; the backup's replace them.
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()
        if manifest.get("from_before_community_rename"):
            _adopt_legacy_dump(source)
        # Loaded rows carry what insert triggers would derive (balances): they must not fire twice.
        with insert_triggers_suspended(), _models_as_of(sorted(leaves.items())):
            call_command("loaddata", str(source), verbosity=0)
    ContentType.objects.clear_cache()


def _migrate_back_to(nodes: list[tuple[str, str]]) -> None:
    """Bring the schema to ``nodes`` (each app's last migration in the backup): the tables and
    migration records `migrate <app> <name>` for each app in turn would leave, in one plan. Each
    `migrate` would also rebuild the migration states and send post_migrate (content types and
    permissions for every app), once per app; those rows are replaced by the backup's right after,
    and the plain `migrate` that ends every restore sends post_migrate once (and makes the cache
    table this project's `migrate` adds). The database is either migrated to this version
    (backup_restore, which also carried over a database from before the `node` app's rename) or
    never migrated: then the plan goes forward from nothing to ``nodes``."""
    connection.prepare_database()
    executor = MigrationExecutor(connection)
    executor.loader.check_consistent_history(connection)
    targets = []
    for app, name in nodes:
        target = (app, executor.loader.get_migration_by_prefix(app, name).name)
        # As `migrate` does: a partly applied squashed migration is not in the graph, its last
        # replaced one is.
        if target not in executor.loader.graph.nodes and target in executor.loader.replacements:
            target = executor.loader.replacements[target].replaces[-1]
        targets.append(target)
    plan = executor.migration_plan(targets)
    if not plan:
        return
    if len({backwards for _migration, backwards in plan}) == 1:
        executor.migrate(targets, plan=plan)
        return
    # Going back in one app re-applies another's migration later on (the executor takes no plan
    # with both directions): one app after the other, as `migrate <app> <name>` would.
    for target in targets:
        executor = MigrationExecutor(connection)
        executor.migrate([target])


@contextmanager
def _models_as_of(nodes: list[tuple[str, str]]) -> Iterator[None]:
    """Load rows as the models were when the backup was made (the schema has just been brought
    back there): today's models may have fields the older tables lack. The rows are then carried
    forward by the migrations, as any database is."""
    historical = MigrationLoader(connection).project_state(nodes, at_end=True).apps
    # loaddata has no hook for the models it builds rows with: its deserializer's lookup is swapped.
    hook = "_get_model_from_node"
    original = vars(PythonDeserializer)[hook]

    def model_then(identifier: str) -> type[Model]:
        try:
            return historical.get_model(identifier)
        except (LookupError, ValueError):
            raise DeserializationError(f"Invalid model identifier: {identifier}") from None

    setattr(PythonDeserializer, hook, staticmethod(model_then))
    try:
        yield
    finally:
        setattr(PythonDeserializer, hook, original)


def _adopt_legacy_dump(source: Path) -> None:
    """Rewrite, in place, a JSON dump made before the `node` app was renamed `community`."""
    with source.open(encoding="utf-8") as dump:
        objects = json.load(dump)
    if not any(str(obj.get("model", "")).startswith("node.") for obj in objects):
        return  # converted from a SQLite file, already carried over
    with source.open("w", encoding="utf-8") as dump:
        json.dump([adopt_dumped_object(obj) for obj in objects], dump, ensure_ascii=False)


def _clear_left_out() -> None:
    present = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in left_out_tables():
            if table in present:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


def backup_restore(path: Path, *, force: bool = False, say: Say = print) -> dict[str, Any]:
    """Restore a backup onto this instance; returns its manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no file {path}.")
    try:
        tar = tarfile.open(path, "r:*")  # noqa: SIM115 - closed by the `with` below
    except (tarfile.TarError, OSError):
        raise BackupError(f"{path} is not a dualpower backup (not a .tar.gz archive).") from None
    with tar, tempfile.TemporaryDirectory(prefix="dp-restore-") as tmp:
        manifest = read_manifest(tar)
        members = _safe_members(tar, manifest)
        _check_migrations(manifest)
        database_name = manifest.get("database_file")
        if database_name not in {SQLITE_FILE, JSON_FILE}:
            raise BackupError("This backup names no database file it holds.")
        as_json = database_name == JSON_FILE or connection.vendor != "sqlite"
        if not (as_json and not MigrationRecorder(connection).applied_migrations()):
            call_command("migrate", interactive=False, verbosity=0)
        # else a database never migrated, restored from JSON: _restore_json migrates it forward to
        # the backup's migrations at once, rather than to this version's and then back.
        if database_has_data():
            if not force:
                raise BackupError(
                    "This instance already has accounts or communities: restore onto an empty instance "
                    "(a new DP_HOME or database), or add --force to replace everything."
                )
            _wipe(say)
        tar.extractall(tmp, members=members, filter="data")
        source = Path(tmp) / database_name
        if database_name == SQLITE_FILE and connection.vendor == "sqlite":
            _restore_sqlite_file(source)
        elif database_name == SQLITE_FILE:
            # A SQLite node moving to PostgreSQL: read the file as a second database, load as JSON.
            converted = Path(tmp) / JSON_FILE
            audit_repaired, other_repaired = _sqlite_to_json(source, converted, manifest)
            _restore_json(converted, manifest)
            if audit_repaired or other_repaired:
                with transaction.atomic():
                    record_corrections(audit_repaired or {None: []}, other_rows=other_repaired)
                say(
                    f"Replaced the NUL character (which PostgreSQL cannot store) with U+FFFD in "
                    f"{sum(map(len, audit_repaired.values()))} audit entries and {other_repaired} other "
                    "rows; recorded as a correction in the audit log."
                )
        else:
            _restore_json(source, manifest)
        call_command("migrate", interactive=False, verbosity=0)
        _clear_left_out()  # a backup made before they were left out may still hold them
        keys_init(say=say)  # warns of a missing key; seals two-factor secrets stored in clear
        media_root = Path(settings.MEDIA_ROOT)
        media_root.mkdir(parents=True, exist_ok=True)
        restored_media = Path(tmp) / "media"
        if restored_media.is_dir():
            shutil.copytree(restored_media, media_root, dirs_exist_ok=True)
    say(
        f"Restored the backup of {manifest.get('created_at')} "
        f"({manifest.get('db_vendor')}, {manifest.get('media_files', 0)} uploaded files)."
    )
    return manifest
