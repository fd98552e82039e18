"""`dualpower serve`: the production web server, with the background jobs and the clock beside it.

The web server is gunicorn (threaded workers) running ``dualpower.wsgi:application``; static files
come from whitenoise (collected by ``dualpower init``), so no other web server is needed on a small
machine. Behind a reverse proxy, see docs/operating.md.

By default `serve` also runs `dualpower worker` (django-tasks' database worker, which sends the
emails, with the clock that closes votes and sends reminders) as a second child process and looks
after both: a signal to `serve` reaches both, a worker that dies is started again, and when
gunicorn ends the worker is stopped. Several `serve` processes on one database stay correct: the
task queue hands each task to one worker, and the clock's lease lets one process tick per minute
(see ``dualpower.ops.schedule``). ``--no-worker`` serves only, for an operator who runs
`dualpower worker` as a service of its own.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from types import FrameType

from django.conf import settings
from django.db import connections

from dualpower.ops.setup import pending_migrations

log = logging.getLogger("dualpower.serve")


class ServeError(Exception):
    """A reason the server cannot start, as one sentence."""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 4
    timeout: int = 60
    # Run the task worker and the clock beside the web server (`--no-worker` turns it off).
    worker: bool = True


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ServeError(f"{name} must be a whole number, not “{raw}”.") from None


def options_from_env() -> ServeOptions:
    """Defaults for `serve`, from PORT, DP_HOST, DP_WORKERS (or WEB_CONCURRENCY), DP_THREADS."""
    return ServeOptions(
        host=os.environ.get("DP_HOST", "127.0.0.1"),
        port=_env_int("PORT", 8000),
        workers=_env_int("DP_WORKERS", _env_int("WEB_CONCURRENCY", 2)),
        threads=_env_int("DP_THREADS", 4),
        timeout=_env_int("DP_TIMEOUT", 60),
    )


def check_ready(options: ServeOptions) -> None:
    """Refuse to start, with a sentence, when the instance is not set up or the port is taken."""
    if not 0 < options.port < 65536:
        raise ServeError(f"{options.port} is not a port number (1-65535).")
    if options.workers < 1 or options.threads < 1:
        raise ServeError("Workers and threads must be at least 1.")
    if pending_migrations():
        raise ServeError("The database is not up to date: run `dualpower init` first.")
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if not settings.DEBUG and not manifest.exists():
        raise ServeError("Static files are not collected: run `dualpower init` first.")
    family = socket.AF_INET6 if ":" in options.host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((options.host.strip("[]"), options.port))
        except OSError as error:
            raise ServeError(
                f"Cannot listen on {options.host}:{options.port} ({error.strerror}): "
                "choose another port with --port or PORT=…."
            ) from None


def _has_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any("--no-control-socket" in (setting.cli or []) for setting in KNOWN_SETTINGS)


def gunicorn_argv(options: ServeOptions) -> list[str]:
    host = f"[{options.host.strip('[]')}]" if ":" in options.host else options.host
    # gunicorn 25+ opens a control socket in ~/.gunicorn shared by every server of the user; two
    # nodes (or a test next to `make run`) would fight over it, and dualpower does not use it.
    extra = ["--no-control-socket"] if _has_control_socket() else []
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dualpower.wsgi:application",
        "--bind",
        f"{host}:{options.port}",
        "--workers",
        str(options.workers),
        "--threads",
        str(options.threads),
        "--worker-class",
        "gthread",
        "--timeout",
        str(options.timeout),
        "--graceful-timeout",
        "10",
        "--access-logfile",
        "-",
        # Proxy headers (X-Forwarded-*) are believed only from these addresses.
        "--forwarded-allow-ips",
        os.environ.get("DP_FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
        *extra,
    ]


def worker_argv() -> list[str]:
    """`dualpower worker`, never reloading (gunicorn does not either)."""
    return [sys.executable, "-m", "dualpower.cli", "worker", "--no-reload"]


def serve(options: ServeOptions) -> int:
    """Check the instance, then run gunicorn and, unless told not to, the worker beside it.

    Without the worker this process is replaced with gunicorn (so signals reach it directly).
    """
    if settings.DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES:
        # Meant for tests and closed networks; on the open internet it lets anyone make this
        # server fetch from its own private network (SSRF), so say it where the operator looks.
        log.warning(
            "DP_FEDERATION_ALLOW_PRIVATE_ADDRESSES=1: federation may connect to loopback and "
            "private addresses. Never set this on a server reachable from the internet."
        )
    check_ready(options)
    url_host = "127.0.0.1" if options.host in {"0.0.0.0", "::"} else options.host  # noqa: S104
    url = f"http://{url_host}:{options.port}"
    # Set before the worker starts too: the links in its emails point here.
    os.environ.setdefault("DP_SITE_URL", url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    connections.close_all()
    argv = gunicorn_argv(options)
    if not options.worker:
        print(f"Serving dualpower on {url}  (Ctrl+C stops; no worker: run `dualpower worker`)", flush=True)
        os.execv(argv[0], argv)  # noqa: S606
    print(f"Serving dualpower on {url}, with the job worker and the clock  (Ctrl+C stops)", flush=True)
    return Supervisor(web=argv, worker=worker_argv()).run()


def _stop_with_parent() -> None:
    """In a child, before it starts: ask Linux to send it SIGTERM should `serve` itself be killed
    (SIGKILL leaves no chance to pass a signal on), so that no server is left behind."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux's C library after all
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


class Supervisor:
    """Runs gunicorn and the worker as children and looks after them.

    Each child is in a process group of its own, so Ctrl+C in a terminal reaches only this process,
    which asks both children to stop gracefully (SIGTERM) and waits for them. SIGHUP is passed to
    gunicorn (it reloads its workers) and restarts the worker.
    """

    POLL = 0.25
    STOP_WAIT = 20.0

    def __init__(self, *, web: list[str], worker: list[str]) -> None:
        self.web_argv = web
        self.worker_argv = worker
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self.stopping = False
        self.asked_to_stop = False
        self.backoff = 1.0
        self.worker_started = 0.0
        self.restart_at: float | None = None

    def _spawn(self, argv: list[str]) -> subprocess.Popen[bytes]:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            argv, process_group=0, preexec_fn=_stop_with_parent if sys.platform == "linux" else None
        )

    def _start_worker(self) -> None:
        self.worker = self._spawn(self.worker_argv)
        self.worker_started = time.monotonic()
        self.restart_at = None

    def _signal(self, process: subprocess.Popen[bytes] | None, signum: int) -> None:
        if process is not None and process.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # it ended just now
                process.send_signal(signum)

    def _on_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = self.asked_to_stop = True
        self._signal(self.web, signal.SIGTERM)
        self._signal(self.worker, signal.SIGTERM)

    def _on_hangup(self, signum: int, frame: FrameType | None) -> None:
        self._signal(self.web, signal.SIGHUP)
        self._signal(self.worker, signal.SIGTERM)  # started again, with the new code, by run()

    def _watch_worker(self) -> None:
        worker = self.worker
        if worker is None or worker.poll() is None or self.stopping:
            return
        now = time.monotonic()
        if self.restart_at is None:
            # A worker that ran a while is started again at once; one that keeps failing, less often.
            self.backoff = 1.0 if now - self.worker_started > 60 else min(self.backoff * 2, 60.0)
            self.restart_at = now + self.backoff
            log.warning(
                "the job worker stopped (exit status %s); starting it again in %.0f s",
                worker.returncode,
                self.backoff,
            )
        elif now >= self.restart_at:
            self._start_worker()

    def _wait(self, process: subprocess.Popen[bytes] | None) -> None:
        if process is None:
            return
        try:
            process.wait(timeout=self.STOP_WAIT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def run(self) -> int:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hangup)
        self.web = self._spawn(self.web_argv)
        self._start_worker()
        try:
            while self.web.poll() is None:
                self._watch_worker()
                time.sleep(self.POLL)
        finally:
            self.stopping = True
            self._signal(self.web, signal.SIGTERM)
            self._signal(self.worker, signal.SIGTERM)
            self._wait(self.web)
            self._wait(self.worker)
        status = self.web.returncode
        if status and not self.asked_to_stop:
            print(f"dualpower: the web server stopped (exit status {status}).", file=sys.stderr, flush=True)
            return 1
        return 0
