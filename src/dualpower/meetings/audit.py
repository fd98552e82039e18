"""Meetings' audit entries as sentences (``community.hooks.register_audit_sentence``): the
meetings, their agenda, attendance, counts in the room and minutes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say, say_all

say(
    "minutes.close",
    _("%(actor)s closed the window for amending minutes"),
    _("The window for amending minutes closed"),
)
say_all(
    {
        "meeting.schedule": _("%(actor)s scheduled the meeting “%(summary)s”"),
        "meeting.update": _("%(actor)s changed the meeting “%(summary)s”"),
        "meeting.cancel": _("%(actor)s cancelled the meeting “%(summary)s”"),
        "meeting.start": _("%(actor)s started the meeting “%(summary)s”"),
        "meeting.end": _("%(actor)s ended the meeting “%(summary)s”"),
        "meeting.agenda_add": _("%(actor)s added “%(summary)s” to a meeting's agenda"),
        "meeting.agenda_update": _("%(actor)s changed the agenda item “%(summary)s”"),
        "meeting.agenda_remove": _("%(actor)s took “%(summary)s” off a meeting's agenda"),
        "meeting.agenda_move": _("%(actor)s moved the agenda item “%(summary)s”"),
        "meeting.check_in": _("%(actor)s checked in %(summary)s at a meeting"),
        "meeting.attendance_remove": _("%(actor)s took %(summary)s off a meeting's attendance"),
        "meeting.feed_rotate": _("%(actor)s replaced a calendar link"),
        "meeting.tally_enter": _("%(actor)s entered the count in the room on “%(summary)s”"),
        "meeting.tally_confirm": _("%(actor)s witnessed the count in the room on “%(summary)s”"),
        "meeting.tally_dispute": _("%(actor)s disputed the count in the room on “%(summary)s”"),
        "minutes.draft": _("%(actor)s drafted minutes"),
        "minutes.open": _("%(actor)s opened minutes for amendments"),
        "minutes.amend": _("%(actor)s amended minutes"),
        "minutes.adopt": _("%(actor)s adopted minutes"),
    }
)
