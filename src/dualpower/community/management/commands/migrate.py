"""Django's `migrate`, first carrying a database from before the `node` → `community` rename, and
then making the shared cache's table.

An app's command overrides Django's own of the same name, so every way of migrating goes through
here: `dualpower init`, `dualpower manage migrate`, restores and the test database.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

from dualpower.community.legacy import adopt_node_app


class Command(MigrateCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        connection = connections[options["database"]]
        connection.prepare_database()
        if adopt_node_app(connection) and options["verbosity"] >= 1:
            self.stdout.write("Carried the database over from the app's old name (node → community).")
        super().handle(*args, **options)
        # The database cache (settings.CACHES) is shared by every process; its table is not a
        # model, so it is made here, on every database every way of migrating reaches.
        call_command("createcachetable", database=options["database"], verbosity=0)
