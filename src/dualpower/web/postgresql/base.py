"""Django's PostgreSQL backend, checking a kept connection without asking the server.

With CONN_HEALTH_CHECKS, Django sends ``SELECT 1`` before the first query of every request that
reuses a connection: one more round trip per page, on the same cores as the server. A connection
the server has dropped (a restart, ``pg_terminate_backend``, an idle timeout) has told us so
already: the server sends its error and closes the socket, so the socket turns readable. An idle
connection with nothing to read is alive as far as a ``SELECT 1`` could tell, so it is reused
without one; anything else (something to read, a transaction left open, a closed or broken
connection) gets Django's own check, which closes it if it fails, and the request opens a new
connection instead of answering 500.

With prepared statements on (settings.py, DP_PG_PREPARE_THRESHOLD), each connection keeps up to
``PREPARED_MAX`` of them on the server instead of psycopg's 100: the 18 main pages alone leave 76
prepared on a connection that served them all, and a thread serving every page would otherwise
keep deallocating one statement (a round trip) to prepare another.
"""

from __future__ import annotations

import select
from typing import Any

from django.db.backends.postgresql import base
from psycopg import Connection
from psycopg.pq import TransactionStatus

# Prepared statements kept per connection (psycopg's default is 100). Each costs the server's
# process about 50 KB of plan memory (the main pages' 76: 3.9 MB), so at most some 10 MB each.
PREPARED_MAX = 200


class DatabaseWrapper(base.DatabaseWrapper):
    # Django's own attributes (set in connect()), which django-stubs does not declare.
    health_check_enabled: bool
    health_check_done: bool

    def get_new_connection(self, conn_params: dict[str, Any]) -> Connection[Any]:
        connection: Connection[Any] = super().get_new_connection(conn_params)
        connection.prepared_max = PREPARED_MAX
        return connection

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and connection_is_quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def connection_is_quiet(connection: Connection[Any]) -> bool:
    """Whether `connection` is open, outside a transaction and has nothing waiting to be read.

    Between requests the server sends nothing on its own (dualpower does not LISTEN): data waiting
    is its goodbye before closing, or a rare notice, and either way Django's full check decides.
    """
    if connection.closed or connection.broken:
        return False
    if connection.info.transaction_status != TransactionStatus.IDLE:
        return False
    try:
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN | select.POLLPRI)
        return not poller.poll(0)
    except (AttributeError, OSError, ValueError):
        # No poll() on this platform, or the socket is gone: let Django ask the server.
        return False
