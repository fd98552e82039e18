"""Real dualpower nodes on loopback, for the federation tests: each a `dualpower serve` process
(gunicorn, the job worker and the clock) on a free port, with a DP_HOME of its own, its own
database (a new PostgreSQL database each in the PostgreSQL pass) and one community.

    with network(tmp_path, {"a": "Riverside Commons", "b": "Hilltop Tenants"}) as nodes:
        nodes["a"].get_json("/ap/c/riverside-commons")
        nodes["b"].stop(); ...; nodes["b"].start()

Setting up an instance (`dualpower init`: migrations, translations, static files) takes most of a
node's start, so it is done once and copied: the instance directory for SQLite, the database as a
template (CREATE DATABASE … TEMPLATE) for PostgreSQL. Federation keys are made on first use, after
the copy, so every node has its own.

Each node's DP_SITE_URL is http://127.0.0.1:<port>, which makes its actors' ids loopback URLs:
DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES=1 lets nodes fetch from and deliver to one another (the
guarded fetcher refuses such addresses otherwise). DP_TICK_SECONDS=1 runs the clock every second,
so a retry that falls due is queued at once rather than at the next minute.
"""

from __future__ import annotations

import fcntl
import hashlib
import html
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

DUALPOWER = [sys.executable, "-m", "dualpower.cli"]
PASSWORD = "federation-test-pass-1"
ACTIVITY_JSON = "application/activity+json"
# The prelude of every snippet run on a node: Django set up, and emit() for the answer.
PRELUDE = """
import json, django
django.setup()
def emit(value):
    print("@@" + json.dumps(value, default=str))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, ready: Callable[[], Any], *, seconds: float = 90, every: float = 0.3) -> Any:
    """Poll ``ready`` until it returns something true; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = ready()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {seconds:.0f} s waiting for {what}")
        time.sleep(every)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]  # lower-case names
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    opener: urllib.request.OpenerDirector | None = None,
    timeout: float = 30,
) -> Reply:
    request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))  # noqa: S310
    try:
        with (opener or urllib.request.build_opener(_NoRedirect)).open(request, timeout=timeout) as response:
            return Reply(
                response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
            )
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are answers to look at (an actor URL asked for HTML redirects to its page)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Node:
    """One `dualpower serve` process and its instance; ``community`` is the slug of its community,
    whose coordinator signs in with ``email`` and PASSWORD."""

    name: str
    home: Path
    env: dict[str, str]
    port: int
    community: str = ""
    email: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    log_path: Path | None = None
    browser: Browser | None = field(default=None, repr=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def handle(self) -> str:
        return f"@{self.community}@{self.host}"

    @property
    def actor_id(self) -> str:
        return f"{self.base}/ap/c/{self.community}"

    # --- the process ---------------------------------------------------------------------------

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None, f"{self.name} is running"
        self.log_path = self.home / "serve.log"
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [*DUALPOWER, "serve", "--port", str(self.port)],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def wait_up(self, seconds: float = 240) -> None:
        def healthy() -> bool:
            if self.process is None or self.process.poll() is not None:
                raise AssertionError(f"dualpower serve of node {self.name} stopped:\n{self.log()}")
            try:
                return http("GET", f"{self.base}/healthz", timeout=5).status == 200
            except OSError:
                return False

        wait_for(f"node {self.name} to answer /healthz", healthy, seconds=seconds)

    def stop(self) -> None:
        """SIGTERM, as an operator's service manager does; `serve` stops gunicorn and the worker."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def restart(self) -> None:
        self.stop()
        self.start()
        self.wait_up()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return (
            self.log_path.read_text(errors="replace")[-6000:]
            if self.log_path and self.log_path.exists()
            else ""
        )

    # --- commands and code on the node's instance ----------------------------------------------

    def cli(self, *args: str, timeout: float = 120) -> str:
        done = subprocess.run(
            [*DUALPOWER, *args], env=self.env, capture_output=True, text=True, timeout=timeout
        )
        assert done.returncode == 0, (
            f"dualpower {' '.join(args)} on node {self.name}:\n{done.stderr}{done.stdout}"
        )
        return done.stdout

    def python(self, code: str, timeout: float = 120, **values: Any) -> Any:
        """Run ``code`` in a new process on this node's instance (Django set up), with ``values``
        bound as JSON-decoded names; returns what it passed to ``emit()`` (None if nothing)."""
        bound = "".join(f"{k} = json.loads({json.dumps(json.dumps(v))})\n" for k, v in values.items())
        done = subprocess.run(
            [sys.executable, "-c", PRELUDE + bound + code],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, (
            f"code on node {self.name} failed:\n{done.stderr[-4000:]}{done.stdout[-2000:]}"
        )
        answers = [line[2:] for line in done.stdout.splitlines() if line.startswith("@@")]
        return json.loads(answers[-1]) if answers else None

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read the node's database directly (cheaper than a process for each poll). ``%s`` marks
        the parameters, on SQLite as on PostgreSQL."""
        url = self.env.get("DATABASE_URL")
        if url:
            import psycopg

            with psycopg.connect(url) as db:
                return db.execute(sql, params).fetchall()  # type: ignore[arg-type]
        path = self.home / "dualpower.sqlite3"
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as db:
            return db.execute(sql.replace("%s", "?"), params).fetchall()

    # --- HTTP --------------------------------------------------------------------------------

    def get(self, path: str, *, accept: str = ACTIVITY_JSON) -> Reply:
        return http("GET", self.base + path, headers={"Accept": accept})

    def get_json(self, path_or_url: str, *, accept: str = ACTIVITY_JSON) -> Any:
        url = path_or_url if path_or_url.startswith("http") else self.base + path_or_url
        reply = http("GET", url, headers={"Accept": accept})
        assert reply.status == 200, f"GET {url}: {reply.status} {reply.body[:300]!r}"
        return reply.json()

    def webfinger(self, resource: str) -> Any:
        query = urllib.parse.urlencode({"resource": resource})
        return self.get_json(f"/.well-known/webfinger?{query}", accept="application/jrd+json")

    def signed_in(self) -> Browser:
        """A browser session signed in as this node's coordinator (signed in once, then kept)."""
        if self.browser is None:
            self.browser = Browser(self.base)
            self.browser.sign_in(self.email, PASSWORD)
        return self.browser

    def follow(self, handle: str) -> None:
        """The coordinator types ``handle`` into the follow form of the community's Network page."""
        page = f"/c/{self.community}/network/"
        reply = self.signed_in().post(page, {"handle": handle})
        assert reply.status in (302, 303), (
            f"following {handle} on {self.name}: {reply.status} {_errors(reply)}"
        )

    def decide(self, *, title: str, action: str, about: str) -> str:
        """The coordinator, the community's one member, takes a decision on the pages: Assemblies
        opened, the Network page's link proposing ``action`` next to the community named
        ``about`` (it fills the proposal form's picker), the proposal form with its title, the
        vote opened (if the assembly discusses first), a vote for it, the vote closed now.
        Returns the text of the proposal's page once decided."""
        browser = self.signed_in()
        # Opening Assemblies first: a new community's general assembly is made on first use.
        assert browser.get(f"/c/{self.community}/assemblies/").status == 200
        network_page = browser.get(f"/c/{self.community}/network/").body.decode()
        links = [
            html.unescape(href)
            for href, label in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', network_page, re.S)
            if f"action={action}" in html.unescape(href) and about in html.unescape(label)
        ]
        assert links, f"no link to propose {action} about {about} on the Network page of {self.name}"
        new = urllib.parse.urlsplit(links[0])
        path = f"{new.path}?{new.query}"
        reply = browser.post(path, {"title": title, "body": f"{title}."}, defaults=True)
        assert reply.status in (302, 303), f"proposing on {self.name}: {reply.status} {_errors(reply)}"
        proposal = urllib.parse.urlsplit(reply.headers["location"]).path
        if 'value="vote"' in browser.get(proposal).body.decode():
            reply = browser.post(proposal + "step/", {"step": "vote"}, page=proposal)
            assert reply.status in (302, 303), f"opening the vote on {self.name}: {_errors(reply)}"
        reply = browser.post(proposal + "vote/", {"position": "agree"}, page=proposal)
        assert reply.status in (302, 303), f"voting on {self.name}: {reply.status} {_errors(reply)}"
        reply = browser.post(proposal + "close/", {"reason": ""}, page=proposal)
        assert reply.status in (302, 303), f"closing the vote on {self.name}: {reply.status} {_errors(reply)}"
        return re.sub(r"<[^>]+>", " ", browser.get(proposal).body.decode())


class _FormDefaults(HTMLParser):
    """What a browser sends for a page's form fields left as they are: text, hidden and number
    inputs with their value, checked radios and checkboxes, textareas, selected options."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name", "")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.values[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self.values.setdefault(name, a.get("value", ""))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and ("selected" in a or self.select not in self.values):
            self.values[self.select] = a.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.values[self.textarea] += data


def _form_defaults(text: str) -> dict[str, str]:
    parser = _FormDefaults()
    parser.feed(text)
    return parser.values


def _errors(reply: Reply) -> list[str]:
    """The error messages a page shows (for the failure message of a test)."""
    text = reply.body.decode(errors="replace")
    return [" ".join(m.split()) for m in re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)</', text, re.S)][:5]


class Browser:
    """A person's browser: cookies, and forms posted with their CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> Reply:
        return http("GET", self.base + path, opener=self.opener, headers={"Accept": "text/html"})

    def post(
        self, path: str, form: Mapping[str, str], *, page: str | None = None, defaults: bool = False
    ) -> Reply:
        """POST ``form`` to ``path`` with the CSRF token of ``page`` (default: ``path`` itself);
        with ``defaults``, over what the page's form would send untouched (as a browser does)."""
        text = self.get(page or path).body.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        assert token, f"no form on {page or path}: {text[:300]}"
        fields = {**(_form_defaults(text) if defaults else {}), "csrfmiddlewaretoken": token.group(1), **form}
        data = urllib.parse.urlencode(fields).encode()
        return http(
            "POST",
            self.base + path,
            body=data,
            opener=self.opener,
            headers={
                "Referer": self.base + (page or path),
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )

    def sign_in(self, email: str, password: str) -> None:
        reply = self.post("/accounts/login/", {"login": email, "password": password})
        assert reply.status in (302, 303), f"sign-in as {email} answered {reply.status}: {reply.body[:500]!r}"


# --- a network of nodes ----------------------------------------------------------------------


def _base_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DP_DATABASE_URL", "DP_DEBUG", "DP_EMAIL_HOST", "PORT", "DP_SITE_URL"}
    }
    env.update(
        DP_HOME=str(home),
        DJANGO_SETTINGS_MODULE="dualpower.settings",
        DP_DISABLE_RATE_LIMITS="1",
        DP_WORKERS="1",
        DP_THREADS="4",
        DP_HTTPS="0",
        DP_TICK_SECONDS="1",
        DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES="1",
        DP_FEDERATION_RETRY_SECONDS="3",  # a node brought back is caught up in seconds, not a minute
    )
    return env


def _run_all(commands: list[tuple[list[str], dict[str, str]]], what: str) -> list[str]:
    """Run commands at once (waiting for each in turn is slower); their outputs."""
    running = [
        subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for argv, env in commands
    ]
    outputs = []
    for (argv, _), process in zip(commands, running, strict=True):
        output = process.communicate(timeout=300)[0].decode(errors="replace")
        assert process.returncode == 0, f"{what} ({' '.join(argv[2:])}) failed:\n{output}"
        outputs.append(output)
    return outputs


@dataclass(frozen=True)
class Template:
    """A set-up instance to copy: its directory, and on PostgreSQL its database."""

    home: Path
    database: str = ""  # a PostgreSQL database to use as CREATE DATABASE's template
    admin_url: str = ""  # postgresql://user@host:port (no database)


def _postgres_admin_url() -> str:
    """The server the suite runs on when it is PostgreSQL (make test's second pass), else ""."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        return ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"


def _admin_sql(admin_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)  # type: ignore[arg-type]


@contextmanager
def instance_template(shared: Path, *, on_sqlite: bool = False) -> Iterator[Template]:
    """One `dualpower init` for the whole run, in ``shared`` (a directory every pytest-xdist worker
    of the run sees): the first worker to get here makes it while the others wait on the lock.
    Each user counts itself in and out; the last one out drops the PostgreSQL template database.
    ``on_sqlite``: a SQLite instance even when the suite runs on PostgreSQL (tests/instances.py)."""
    admin_url = "" if on_sqlite else _postgres_admin_url()
    kind = "postgresql" if admin_url else "sqlite"
    folder = shared / f"federation-template-{kind}"
    folder.mkdir(parents=True, exist_ok=True)
    home, ready, users = folder / "home", folder / "ready", folder / "users"
    # The same name in every worker (str hashes differ between processes).
    digest = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:10]
    database = f"dp_fed_{digest}_template" if admin_url else ""
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not ready.exists():
                shutil.rmtree(home, ignore_errors=True)
                env = _base_env(home)
                if admin_url:
                    _admin_sql(
                        admin_url, f'DROP DATABASE IF EXISTS "{database}"', f'CREATE DATABASE "{database}"'
                    )
                    env["DATABASE_URL"] = f"{admin_url}/{database}"
                _run_all([([*DUALPOWER, "init"], env)], "dualpower init")
                ready.touch()
            users.write_text(str(int(users.read_text() or 0) + 1 if users.exists() else 1))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    try:
        yield Template(home=home, database=database, admin_url=admin_url)
    finally:
        with (folder / "lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                left = int(users.read_text()) - 1
                users.write_text(str(left))
                if left == 0 and admin_url:
                    ready.unlink(missing_ok=True)
                    _admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def network(tmp_path: Path, template: Template, communities: Mapping[str, str]) -> Iterator[dict[str, Node]]:
    """Nodes named by the keys of ``communities``, each a copy of ``template`` serving one new
    community of that name, all started and answering; stopped (and their databases dropped)
    afterwards."""
    tag = uuid.uuid4().hex[:8]
    databases: list[str] = []
    with ExitStack() as cleanup:
        if template.admin_url:
            cleanup.callback(
                lambda: _admin_sql(
                    template.admin_url,
                    *(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in databases),
                )
            )
        nodes: dict[str, Node] = {}
        for name in communities:
            home = tmp_path / f"node-{name}"
            shutil.copytree(template.home, home, ignore=shutil.ignore_patterns("federation-keys", "*.log"))
            port = free_port()
            env = _base_env(home)
            env.update(DP_SITE_URL=f"http://127.0.0.1:{port}", DP_ALLOWED_HOSTS="127.0.0.1,localhost")
            if template.admin_url:
                database = f"dp_fed_{tag}_{name}"
                databases.append(database)
                _admin_sql(template.admin_url, f'CREATE DATABASE "{database}" TEMPLATE "{template.database}"')
                env["DATABASE_URL"] = f"{template.admin_url}/{database}"
            nodes[name] = Node(name=name, home=home, env=env, port=port, email=f"coordinator@{name}.test")

        password_file = tmp_path / "password"
        password_file.write_text(PASSWORD)
        said = _run_all(
            [
                (
                    [
                        *DUALPOWER,
                        *("createadmin", "--email", node.email, "--password-file", str(password_file)),
                        *("--name", f"Coordinator {name.upper()}", "--community-name", communities[name]),
                    ],
                    node.env,
                )
                for name, node in nodes.items()
            ],
            "dualpower createadmin",
        )
        for node, output in zip(nodes.values(), said, strict=True):
            # "coordinator@a.test is now a coordinator of Riverside Commons (/c/riverside-commons/)."
            slug = re.search(r"\(/c/([^/]+)/\)", output)
            assert slug, output
            node.community = slug.group(1)
            cleanup.callback(node.stop)
            node.start()
        for node in nodes.values():
            node.wait_up()
        yield nodes


def shared_directory(tmp_path_factory: Any) -> Path:
    """A directory all pytest-xdist workers of this run share (each worker's basetemp is a
    folder in it), or the run's basetemp without xdist."""
    base = Path(tmp_path_factory.getbasetemp())
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
