"""The bodies of the `dualpower` subcommands (the argument parsing lives in cli.py).

Each takes the parsed arguments and returns an exit status; a problem with the input is raised as
an exception cli.py turns into one sentence and exit status 2. All but `tally` run with Django set up.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from dualpower.errors import InvalidInput

Prompt = Callable[..., str]


def _say(text: str) -> None:
    print(text, flush=True)


def manage(argv: list[str]) -> int:
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["dualpower manage", *argv])
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def init(args: argparse.Namespace) -> int:
    from dualpower.ops.sealing import keys_init
    from dualpower.ops.setup import instance_init

    instance_init(say=_say)
    keys_init(say=_say)
    return 0


def repair_nul(args: argparse.Namespace) -> int:
    from dualpower.ops.nul import audit_nul_repair

    audit_nul_repair(say=_say)
    return 0


def serve(args: argparse.Namespace) -> int:
    from dualpower.ops.serve import options_from_env
    from dualpower.ops.serve import serve as run_server

    options = options_from_env()
    overrides = {
        k: getattr(args, k) for k in ("host", "port", "workers", "threads") if getattr(args, k) is not None
    }
    options = replace(options, **overrides)
    if getattr(args, "no_worker", False):
        options = replace(options, worker=False)
    return run_server(options)


def demo(args: argparse.Namespace) -> int:
    from dualpower.ops.demo import demo_community, demo_load, logins_text
    from dualpower.ops.setup import database_has_data, pending_migrations

    if pending_migrations():
        raise InvalidInput("The database is not set up yet: run `dualpower init` first.")
    if args.if_empty and database_has_data():
        if demo_community() is not None:
            _say("The demo community is already loaded.")
            _say(logins_text())
        else:
            _say("The database already has data: the demo community was not loaded.")
        return 0
    demo_load(seed=args.seed, say=_say)
    _say(logins_text())
    return 0


def createadmin(args: argparse.Namespace, *, prompt: Prompt) -> int:
    from dualpower.ops.admin import admin_create, check_email, find_community

    email = args.email or prompt("Email")
    check_email(email)  # fail early, before asking for a password
    find_community(args.community, args.community_name)
    if args.password_file:
        password = _read_password(args.password_file)
    else:
        password = prompt("Password", secret=True)
        if password != prompt("Password again", secret=True):
            raise InvalidInput("The two passwords differ.", field="password")
    membership = admin_create(
        email=email,
        password=password,
        display_name=args.name,
        community_slug=args.community,
        community_name=args.community_name,
    )
    community, user = membership.community, membership.user
    assert user is not None, "admin_create returns the membership of the account it made"
    _say(f"{user.email} is now a coordinator of {community.name} (/c/{community.slug}/).")
    return 0


def _read_password(source: str) -> str:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text()
    except OSError as error:
        raise InvalidInput(
            f"Cannot read the password file {source}: {error.strerror}.", field="password"
        ) from None
    password = text.rstrip("\r\n")
    if not password:
        raise InvalidInput("The password file is empty.", field="password")
    return password


def backup(args: argparse.Namespace) -> int:
    from dualpower.ops.backup import backup_create

    backup_create(Path(args.file) if args.file else None, say=_say)
    return 0


def restore(args: argparse.Namespace) -> int:
    from dualpower.ops.backup import backup_restore

    backup_restore(Path(args.file), force=args.force, say=_say)
    return 0


def tick(args: argparse.Namespace) -> int:
    from dualpower.ops.schedule import every_seconds_from_env, tick_once

    report = tick_once(every_seconds=every_seconds_from_env())
    if report is None:  # a serve or worker of this node ticked this minute already
        _say("The clock has already ticked this minute (in another process): nothing to do.")
        return 0
    failed = 0
    for name, result in report:
        _say(f"{name}: {result or 'nothing due'}")
        failed += result.startswith("failed:")
    return 1 if failed else 0
