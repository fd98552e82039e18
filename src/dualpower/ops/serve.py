"""`dualpower serve` and `dualpower worker`: the production web server and the background jobs.

The web server is gunicorn (threaded workers) running ``dualpower.wsgi:application``; static files
come from whitenoise (collected by ``dualpower init``), so no other web server is needed on a small
machine. Behind a reverse proxy, see docs/operating.md.
"""

from __future__ import annotations

import os
import socket
import sys
from dataclasses import dataclass
from typing import NoReturn

from django.conf import settings
from django.db import connections

from dualpower.ops.setup import pending_migrations


class ServeError(Exception):
    """A reason the server cannot start, as one sentence."""


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 4
    timeout: int = 60


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


def serve(options: ServeOptions) -> NoReturn:
    """Check the instance, then replace this process with gunicorn (so signals reach it directly)."""
    check_ready(options)
    url_host = "127.0.0.1" if options.host in {"0.0.0.0", "::"} else options.host  # noqa: S104
    url = f"http://{url_host}:{options.port}"
    os.environ.setdefault("DP_SITE_URL", url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
    connections.close_all()
    print(f"Serving dualpower on {url}  (Ctrl+C stops)", flush=True)
    argv = gunicorn_argv(options)
    os.execv(argv[0], argv)  # noqa: S606
