"""Everything the learn app registers, in one place (imported by ``AppConfig.ready()``):
its menu entry, the clock's jobs (ready holds expiring, loan reminders), who may see its
uploaded files, its audit sentences, permissions and demo."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import clock as schedule
from dualpower import uploads
from dualpower.demo import register as register_demo
from dualpower.learn import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.learn import demo, selectors
from dualpower.learn import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.learn.services import library
from dualpower.web import navigation

schedule.job("learn.holds")(library.holds_expire)
schedule.job("learn.loan_reminders")(library.loans_remind)
uploads.register_owner("learn", selectors.upload_owner)
navigation.register(
    "learn", _("Learning and library"), "learn:offerings", order=72, group="community", perm="learn.view"
)
register_demo(demo.load_learn)
