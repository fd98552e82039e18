"""audit of the care app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say, say_all

# Every member reads the log, so an entry about a circle names neither who acted nor who it is for:
# "Mara opened care circle 12" would tell the whole community that Mara is in a time of need. The
# services record these entries with no actor; the circle is named by its number only.


_CIRCLE_SENTENCES = {
    "care.circle.open": _("Care circle %(summary)s was opened"),
    "care.circle.invite": _("Someone was invited to care circle %(summary)s"),
    "care.circle.join": _("Someone joined care circle %(summary)s"),
    "care.circle.decline": _("Someone declined an invitation to care circle %(summary)s"),
    "care.circle.visibility": _("What a helper of care circle %(summary)s sees was changed"),
    "care.circle.remove": _("A helper was removed from care circle %(summary)s"),
    "care.circle.leave": _("A helper left care circle %(summary)s"),
    "care.circle.handover": _("The running of care circle %(summary)s was handed to someone"),
    "care.circle.close": _("Care circle %(summary)s was closed"),
    "care.circle.need": _("A need was added to care circle %(summary)s"),
    "care.circle.need_cancel": _("A need was removed from care circle %(summary)s"),
    "care.circle.take": _("A need of care circle %(summary)s was taken"),
    "care.circle.release": _("A need of care circle %(summary)s was given back"),
    "care.circle.done": _("A need of care circle %(summary)s was met"),
    "care.circle.note": _("A note was written in care circle %(summary)s"),
    "care.circle.pantry": _("The pantry gave to care circle %(summary)s"),
    "care.circle.hours": _("Time-bank hours thanked a helper of care circle %(summary)s"),
    "care.circle.aid": _("Care circle %(summary)s asked mutual aid for help"),
    "care.circle.erase": _("Closed care circles were erased; only counts remain"),
}
for _action, _text in _CIRCLE_SENTENCES.items():
    say(_action, _text, _text)
say_all({"care.settings": _("%(actor)s changed the care settings")})

# Queue entries are named by the site only, never by their code: the log outlives the day's queue.
say(
    "care.clinic_day_close",
    _("%(actor)s closed the clinic day at %(summary)s"),
    _("A clinic day was closed and its queue erased"),
)
_erased = _("Closed crisis calls were reduced to counts by outcome (%(summary)s)")
say("care.crisis_erase", _erased, _erased)
say_all(
    {
        "care.clinic_day_create": _("%(actor)s planned a clinic day at %(summary)s"),
        "care.queue_join": _("%(actor)s gave a queue code at the clinic at %(summary)s"),
        "care.queue_move": _("%(actor)s moved someone on at the clinic at %(summary)s"),
        "care.queue_finish": _("%(actor)s saw someone leave the clinic at %(summary)s"),
        "care.screening_record": _("%(actor)s counted a screening at the clinic at %(summary)s"),
        "care.referral_create": _("%(actor)s added “%(summary)s” to the referral directory"),
        "care.referral_update": _("%(actor)s changed “%(summary)s” in the referral directory"),
        "care.referral_remove": _("%(actor)s removed “%(summary)s” from the referral directory"),
        "care.rota_set": _("%(actor)s set a care rota"),
        "care.call_log": _("%(actor)s logged a warm-line call"),
        "care.crisis_dispatch": _("%(actor)s sent a crisis pair (call %(summary)s)"),
        "care.crisis_acknowledge": _("%(actor)s acknowledged crisis call %(summary)s"),
        "care.crisis_arrive": _("%(actor)s arrived at crisis call %(summary)s"),
        "care.crisis_close": _("%(actor)s closed a crisis call"),
    }
)
