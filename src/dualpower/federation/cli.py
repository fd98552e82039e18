"""`dualpower federation status|block HOST|unblock HOST|retry [--all | ID...]`: the operator's
controls from the command line (the same services as the operators' page, /setup/federation/).

status: deliveries by state, hosts blocked, failing and unavailable, peers and follows, the
oldest delivery still waiting; exit 1 when any delivery is a dead letter (for a monitor).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import NoReturn

from dualpower.errors import InvalidInput
from dualpower.federation import selectors, services


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise InvalidInput(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dualpower federation", description="Federation: the operator's controls.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser(
        "status", help="deliveries, hosts and follows in numbers; exit 1 if there are dead letters"
    )
    block = sub.add_parser("block", help="block a server: nothing sent to it or taken from it")
    block.add_argument("host", help="its name, such as example.org")
    block.add_argument("--reason", default="", help="kept in the audit log")
    unblock = sub.add_parser("unblock", help="unblock a server")
    unblock.add_argument("host")
    retry = sub.add_parser("retry", help="send dead letters again")
    retry.add_argument("ids", nargs="*", type=int, metavar="ID", help="the dead letters to send again")
    retry.add_argument("--all", action="store_true", help="every dead letter to a server not blocked")
    return parser


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(list(argv))
    if args.command == "status":
        return _status(
            selectors.node_status(), [(d.pk, d.host, d.last_error) for d in selectors.dead_letters()[:20]]
        )
    if args.command == "block":
        row = services.host_block(host=args.host, reason=args.reason)
        print(f"{row.host} is blocked.")
        return 0
    if args.command == "unblock":
        row = services.host_unblock(host=args.host)
        print(f"{row.host} is no longer blocked.")
        return 0
    if args.all == bool(args.ids):
        raise InvalidInput("Give the ids of the dead letters to send again, or --all.")
    if args.all:
        count = services.dead_letters_retry_all()
    else:
        for pk in args.ids:
            services.dead_letter_retry(delivery_row=selectors.dead_letter_get(pk=pk))
        count = len(args.ids)
    print(f"{count} dead letters are being sent again.")
    return 0


def _status(status: selectors.Status, dead: list[tuple[int, str, str]]) -> int:
    d = status.deliveries
    pending, delivered, dead_count = d.get("pending", 0), d.get("delivered", 0), d.get("dead", 0)
    print(f"deliveries: {pending} pending, {delivered} delivered, {dead_count} dead")
    if status.oldest_pending is not None:
        print(f"oldest pending since {status.oldest_pending.isoformat(timespec='seconds')}")
    print(
        f"hosts: {status.hosts_blocked} blocked, {status.hosts_failing} failing, "
        f"{status.hosts_unavailable} unavailable"
    )
    print(
        f"peers: {status.peers_active} active; followers: {status.followers}; following: {status.following}"
    )
    for pk, host, error in dead:
        print(f"dead letter {pk} to {host}: {error or 'no error kept'}")
    return 1 if dead_count else 0
