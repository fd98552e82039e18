"""The `dualpower` command: set up, serve and look after a node.

Every problem with the input is printed as one sentence on stderr with exit status 2, never a
traceback. `dualpower tally` and `dualpower opinions` never load Django.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

# Apps with commands of their own (`dualpower ledger check`): the module's main(argv) -> status,
# run after Django is set up; it raises DomainError (exit 2) for bad input.
APP_COMMANDS = {"ledger": "dualpower.ledger.cli", "federation": "dualpower.federation.cli"}
PASSTHROUGH = ("manage", "tally", "opinions", "worker", *APP_COMMANDS)

DESCRIPTION = """\
Run a dualpower node: the self-hosted server of one community.

The instance directory (database, secret key, uploads, mail, backups) is DP_HOME, ./var by default.
Settings come from DP_* environment variables: see docs/operating.md.
"""
EPILOG = """\
first time:   dualpower init && dualpower demo && dualpower serve
every upgrade: dualpower init   (migrates the database; safe to run again)
"""


class UsageError(Exception):
    """Bad input: one sentence on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message[0].upper() + message[1:].rstrip(".") + f" (see `{self.prog} --help`).")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="dualpower",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--home", metavar="DIR", help="the instance directory (overrides DP_HOME)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")

    sub.add_parser(
        "init",
        help="create or upgrade the instance: secret key, database (migrate), translations, static files",
        description="Create the instance directory with a generated secret key, migrate the database "
        "(SQLite in WAL mode unless DATABASE_URL is set), compile translations and collect static files. "
        "Safe to run again: it is also how a node is upgraded.",
    )

    serve = sub.add_parser(
        "serve",
        help="serve the web interface and the API with gunicorn (production-grade)",
        description="Serve dualpower.wsgi with gunicorn (threaded workers); static files by whitenoise. "
        "The job worker and the clock (votes that close, reminders, emails) run beside it unless "
        "--no-worker is given. "
        "Defaults come from PORT, DP_HOST, DP_WORKERS (or WEB_CONCURRENCY) and DP_THREADS.",
    )
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    serve.add_argument("--port", type=int, help="port (default $PORT or 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default 2)")
    serve.add_argument("--threads", type=int, help="threads per worker (default 4)")
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="serve only: run no job worker and no clock (when `dualpower worker` runs as its own service)",
    )

    sub.add_parser(
        "worker",
        help="run background jobs (django-tasks database worker); options go to db_worker",
        description="Run the background job worker (django-tasks-db's db_worker). "
        "Any options are passed on, e.g. `dualpower worker --queue-name default`.",
        add_help=False,
    )

    demo = sub.add_parser(
        "demo",
        help="load the demo community (about 60 members, five working groups, known logins)",
        description="Load the demo community “Southside Solidarity Network” with two known logins.",
    )
    demo.add_argument("--if-empty", action="store_true", help="only if the database has no accounts yet")
    demo.add_argument("--seed", type=int, default=7, help="seed of the made-up people (default 7)")

    admin = sub.add_parser(
        "createadmin",
        help="create a coordinator account in a community (asks for what is not given)",
        description="Create an account with a verified email and make it a coordinator of a community. "
        "Asks for anything not given when run in a terminal.",
    )
    admin.add_argument("--email")
    admin.add_argument("--password-file", metavar="FILE", help="read the password from FILE ('-' for stdin)")
    admin.add_argument("--name", default="", help="display name (default: the email's local part)")
    admin.add_argument(
        "--community", default="", metavar="SLUG", help="the community (default: the only one)"
    )
    admin.add_argument(
        "--community-name", default="", metavar="NAME", help="create the community with this name"
    )

    backup = sub.add_parser(
        "backup",
        help="write the database and uploads to one .tar.gz file (consistent while serving)",
        description="Write a consistent snapshot of the database and the uploads to one file.",
    )
    backup.add_argument(
        "file", nargs="?", help="where to write (default DP_HOME/backups/dualpower-<time>.tar.gz)"
    )

    restore = sub.add_parser(
        "restore",
        help="restore a backup onto an empty instance",
        description="Restore a backup file onto an instance with no accounts or communities.",
    )
    restore.add_argument("file", help="a file written by `dualpower backup`")
    restore.add_argument("--force", action="store_true", help="replace the data already in this instance")

    sub.add_parser(
        "repair-nul",
        help="replace NUL characters in the audit log with U+FFFD (before moving to PostgreSQL)",
        description="Find the audit log entries holding a NUL character (U+0000), which PostgreSQL "
        "cannot store, replace it with U+FFFD and record the repair as a correction in the audit log.",
    )
    sub.add_parser(
        "manage", help="run a Django management command: dualpower manage <command> ...", add_help=False
    )
    sub.add_parser("tally", help="count a ballot file (.pb or .blt): dualpower tally --help", add_help=False)
    sub.add_parser(
        "opinions",
        help="map the opinion groups of a Polis export folder: dualpower opinions --help",
        add_help=False,
    )
    sub.add_parser(
        "tick",
        help="run the clock's jobs once (open and close votes, phases, reminders); for cron",
        description="Run every scheduled job once, unless another process of this node already ticked "
        "this minute. `dualpower serve` and `dualpower worker` do this each minute by themselves.",
    )
    for name in APP_COMMANDS:
        sub.add_parser(name, help=f"{name} commands: dualpower {name} --help", add_help=False)
    return parser


def _split_passthrough(argv: list[str]) -> tuple[list[str], list[str] | None]:
    """`dualpower [--home DIR] manage ARGS...`: the part before the command and ARGS, untouched."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in PASSTHROUGH:
            return argv[: index + 1], argv[index + 1 :]
        if arg == "--home":
            index += 2
            continue
        if arg.startswith("--home=") or arg.startswith("-"):
            index += 1
            continue
        break
    return argv, None


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    import django

    try:
        django.setup()
    except Exception as error:  # settings are read from the environment: a bad value lands here
        if os.environ.get("DP_DEBUG"):
            traceback.print_exc()
        raise UsageError(
            f"The settings could not be loaded ({type(error).__name__}: {error}); "
            "check the DP_ environment variables (docs/operating.md)."
        ) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run `dualpower` with ``argv`` (without the program name); return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        head, rest = _split_passthrough(args_list)
        try:
            args = build_parser().parse_args(head)
        except SystemExit as done:  # --help prints and exits 0
            return int(done.code or 0)
        if args.home:
            os.environ["DP_HOME"] = str(Path(args.home).expanduser().resolve())
        if args.command is None:
            build_parser().print_help()
            return 0
        return run(args, rest or [])
    except UsageError as error:
        return _fail(str(error), 2)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `dualpower ... | head`: the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as error:
        return _fail_unexpected(error)


def run(args: argparse.Namespace, rest: list[str]) -> int:
    if args.command == "tally":
        return tally(rest)
    if args.command == "opinions":
        return opinions(rest)
    _django()
    from django.core.management.base import CommandError

    from dualpower.errors import DomainError
    from dualpower.ops import commands
    from dualpower.ops.backup import BackupError
    from dualpower.ops.demo import DemoExists
    from dualpower.ops.serve import ServeError

    try:
        if args.command == "manage":
            return commands.manage(rest)
        if args.command == "worker":
            from dualpower.ops.schedule import every_seconds_from_env, start_clock

            start_clock(every_seconds_from_env())
            return commands.manage(["db_worker", *rest])
        if args.command == "tick":
            return commands.tick(args)
        if args.command in APP_COMMANDS:
            return int(importlib.import_module(APP_COMMANDS[args.command]).main(rest) or 0)
        if args.command == "createadmin":
            return commands.createadmin(args, prompt=_prompt)
        handler = getattr(commands, args.command.replace("-", "_"))
        return handler(args)
    except (DomainError, BackupError, DemoExists, ServeError, CommandError) as error:
        return _fail(str(error), 2)


def tally(argv: list[str]) -> int:
    """Hand over to the counting engine, which never needs Django."""
    try:
        engine = importlib.import_module("dualpower.core.choice.tally")
    except ImportError as error:
        return _fail(f"counting is not available in this installation ({error}).", 2)
    return int(engine.main(argv) or 0)


def opinions(argv: list[str]) -> int:
    """Hand over to the opinion-map engine, which never needs Django."""
    try:
        engine = importlib.import_module("dualpower.core.opinions.cli")
    except ImportError as error:
        return _fail(f"opinion maps are not available in this installation ({error}).", 2)
    return int(engine.main(argv) or 0)


def _prompt(label: str, *, secret: bool = False) -> str:
    if not sys.stdin.isatty():
        raise UsageError(
            f"{label} is needed and there is no terminal to ask in: give it as an option "
            "(see `dualpower createadmin --help`)."
        )
    return getpass.getpass(f"{label}: ") if secret else input(f"{label}: ")


def _fail(message: str, status: int) -> int:
    print(f"dualpower: {message}", file=sys.stderr, flush=True)
    return status


def _fail_unexpected(error: Exception) -> int:
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    if isinstance(error, ImproperlyConfigured):
        return _fail(f"the settings are not usable: {error}", 2)
    if isinstance(error, DatabaseError):
        return _fail("the database could not be used: " + " ".join(str(error).split()), 1)
    if os.environ.get("DP_DEBUG"):
        traceback.print_exc()
    return _fail(f"unexpected error ({type(error).__name__}: {error}); DP_DEBUG=1 shows the traceback.", 1)


if __name__ == "__main__":
    sys.exit(main())
