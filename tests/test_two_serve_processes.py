"""Two `dualpower serve` processes on one database stay correct together (issue 14).

A node may run several app processes, on several machines, against one PostgreSQL database:
nothing that keeps correctness may live in one process's memory. Two real servers (each with its
gunicorn workers) on one instance database — a new PostgreSQL database in the PostgreSQL pass —
take concurrent payments from one account through both, and failed sign-ins through both:

- the payments stop exactly at the account's limit, however they were spread over the servers;
- the sign-in limit counts the tries made through every process (the shared database cache): the
  sixth wrong password for one account from one address is refused whichever server it reaches.

The places that keep correctness, and why none is only in one process, are listed in
docs/operating.md ("Several app processes").
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from tests.instances import instances, ok, run, set_up

pytestmark = [pytest.mark.slow, pytest.mark.db_sensitive, pytest.mark.django_db]

HOST = "node.example.org"
PAYMENTS = 24
ROOM = 10  # the payer's limit leaves room for exactly this many payments of AMOUNT
AMOUNT = 100

SETUP = """
import django, json
django.setup()
from dualpower.ledger.models import Account
from dualpower.members.services import token_create
payer, payee = Account.objects.filter(community__slug="demo", currency__code="roots", owner_kind="member",
                                      status="open").order_by("pk")[:2]
payer.lower_limit = payer.balance - %(room)d
payer.save(update_fields=["lower_limit"])
_, raw = token_create(user=payer.membership.user, name="two servers", scope="write")
print(json.dumps({"payer": payer.pk, "payee": payee.pk, "token": raw, "email": payer.membership.user.email,
                  "floor": payer.lower_limit}))
"""
BALANCE = """
import django
django.setup()
from dualpower.ledger.models import Account
from dualpower.ledger.selectors import ledger_check
report = ledger_check()
print(Account.objects.get(pk=%(payer)d).balance, report.ok)
"""


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5):  # noqa: S310 - our own server
                return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.3)
    output = process.stdout.read().decode() if process.stdout and process.poll() is not None else ""
    pytest.fail(f"dualpower serve at {base} did not come up:\n{output}")


@pytest.fixture(scope="module")
def node(
    tmp_path_factory: pytest.TempPathFactory, instance_template: Any
) -> Iterator[tuple[dict[str, str], list[str], dict[str, Any]]]:
    with instances(tmp_path_factory.mktemp("two-servers"), "node") as (env,):
        env = {**env, "DP_WORKERS": "2", "DP_THREADS": "4"}
        env.pop("DP_DISABLE_RATE_LIMITS", None)  # the sign-in limits are what is tested
        # Both servers answer for one public name, as behind a load balancer: the sign-in limits
        # count per site, and a site is its host name.
        env["DP_ALLOWED_HOSTS"] = f"{HOST},127.0.0.1,localhost"
        env["DP_HTTPS"] = "0"  # plain HTTP on loopback: what is tested is the sharing, not TLS
        set_up(env, instance_template)  # = `dualpower init`, copied from the run's one
        ok(run(env, "demo"))
        world = json.loads(ok(run(env, code=SETUP % {"room": ROOM * AMOUNT})).strip().splitlines()[-1])
        processes, bases = [], []
        try:
            for _ in range(2):
                port = _free_port()
                process = subprocess.Popen(
                    [sys.executable, "-m", "dualpower.cli", "serve", "--no-worker", "--port", str(port)],
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                )
                processes.append(process)
                bases.append(f"http://127.0.0.1:{port}")
            for base, process in zip(bases, processes, strict=True):
                _wait_up(base, process)
            yield env, bases, world
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def _pay(base: str, world: dict[str, Any], n: int) -> int:
    body = json.dumps({"debit": world["payer"], "credit": world["payee"], "amount": AMOUNT}).encode()
    request = urllib.request.Request(  # noqa: S310 - our own server
        f"{base}/api/v1/communities/demo/money/transfers",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {world['token']}",
            "Content-Type": "application/json",
            "Idempotency-Key": f"two-servers-{n}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_payments_through_two_servers_stop_exactly_at_the_limit(
    node: tuple[dict[str, str], list[str], dict[str, Any]],
) -> None:
    env, bases, world = node
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda n: _pay(bases[n % 2], world, n), range(PAYMENTS)))
    assert sorted(set(statuses)) == [201, 409], statuses
    assert statuses.count(201) == ROOM
    balance, ledger_ok = ok(run(env, code=BALANCE % {"payer": world["payer"]})).split()[-2:]
    assert int(balance) == world["floor"] and ledger_ok == "True"


def _sign_in(base: str, email: str, password: str) -> str:
    """One attempt through a fresh browser session; the page's text after it."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, page[:500]
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": email, "password": password}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - our own server
        f"{base}/accounts/login/", data=form, headers={"Host": HOST, "Referer": f"http://{HOST}/"}
    )
    try:
        return opener.open(request, timeout=30).read().decode()
    except urllib.error.HTTPError as error:
        return error.read().decode()


def test_the_sign_in_limit_counts_tries_made_through_every_process(
    node: tuple[dict[str, str], list[str], dict[str, Any]],
) -> None:
    _, bases, world = node
    answers = [_sign_in(bases[n % 2], world["email"], "not the password") for n in range(6)]
    refused = [n for n, answer in enumerate(answers) if "Too many failed login attempts" in answer]
    errors = [re.findall(r'class="errorlist[^>]*>(.*?)</ul>', answer, re.S) for answer in answers]
    assert refused == [5], f"refused at tries {refused}; the forms said {errors}"
