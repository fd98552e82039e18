"""What the notifications app registers: the clock job that finishes stranded fan-outs, and the
unread count read with the community on each of its pages (the menu shows it)."""

from __future__ import annotations

from dualpower import clock
from dualpower.community.hooks import register_visitor_count
from dualpower.notifications.selectors import UNREAD, unread_sql
from dualpower.notifications.tasks import fanouts_finish

register_visitor_count(UNREAD, unread_sql)

clock.job("notifications.fanouts")(fanouts_finish)
