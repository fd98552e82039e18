"""The one table of ops: who runs the clock's current tick.

Several processes may keep the clock (each `dualpower serve` runs a worker, and an operator may
run `dualpower worker` or `dualpower tick` from cron as well); the lease lets exactly one of them
tick in each slot (a minute by default). ``dualpower.ops.schedule`` claims and releases it.
"""

from __future__ import annotations

from django.db import models


class ClockLease(models.Model):
    name = models.CharField(primary_key=True, max_length=40)
    # host:pid:thread of the process that claimed the last tick.
    holder = models.CharField(max_length=120, blank=True, default="")
    # The start of the next slot: no process ticks before it.
    due_at = models.DateTimeField(null=True, blank=True)
    # While a tick runs, the holder's claim lapses here (a process that died mid-tick does not stop
    # the clock); empty once the tick is over.
    expires_at = models.DateTimeField(null=True, blank=True)
    ticked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} (last tick {self.ticked_at}, by {self.holder or 'nobody'})"
