"""audit of the defence app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say as _say
from dualpower.community.audit import say_all as _say_all

# Incidents are recorded without their actor and named only by their random code: the log is
# append-only and read by every member, and an erased incident must leave no trace of who reported,
# verified or answered it (docs/community-defence.md).


for _code, _sentence in {
    "defence.incident.report": _("An incident was reported (%(summary)s)"),
    "defence.incident.verify": _("An incident was verified and responders alerted (%(summary)s)"),
    "defence.incident.false_alarm": _("A report was closed as a false alarm (%(summary)s)"),
    "defence.incident.close": _("An incident was closed (%(summary)s)"),
    "defence.incident.follow_up": _("The follow-up of an incident was opened (%(summary)s)"),
}.items():
    _say(_code, _sentence, _sentence)
_say_all(
    {
        "defence.settings": _("%(actor)s changed the community defence settings"),
        "defence.rota.verifier": _("%(actor)s started the verifiers' rota"),
        "defence.rota.responder": _("%(actor)s started the responders' rota"),
        "defence.case.open": _("%(actor)s opened the eviction case of household %(summary)s"),
        "defence.case.update": _("%(actor)s changed the eviction case of household %(summary)s"),
        "defence.case.close": _("%(actor)s closed the eviction case of household %(summary)s"),
        "defence.court_date.add": _("%(actor)s added a court date for household %(summary)s"),
        "defence.court_date.outcome": _("%(actor)s recorded a hearing's outcome for household %(summary)s"),
        "defence.rights.save": _("%(actor)s wrote the know-your-rights page “%(summary)s”"),
        "defence.rights.share": _(
            "%(actor)s shared the know-your-rights page “%(summary)s” with peer communities"
        ),
        "defence.rights.unshare": _("%(actor)s stopped sharing the know-your-rights page “%(summary)s”"),
        "defence.rights.adopt": _("%(actor)s adopted the know-your-rights page “%(summary)s”"),
        # Bans name nobody: every member reads the log.
        "defence.ban": _("%(actor)s added a reporter to the intake ban list"),
        "defence.unban": _("%(actor)s lifted a ban from the intake ban list"),
    }
)
