"""What the notifications app registers: the clock job that finishes stranded fan-outs."""

from __future__ import annotations

from dualpower import clock
from dualpower.notifications.tasks import fanouts_finish

clock.job("notifications.fanouts")(fanouts_finish)
