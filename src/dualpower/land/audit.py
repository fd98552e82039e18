"""The land trust's audit entries as sentences (``community.hooks.register_audit_sentence``).

Waiting households are not named: the log is read by every member."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say_all

say_all(
    {
        "land.parcel_create": _("%(actor)s added the land “%(summary)s” to the trust"),
        "land.home_create": _("%(actor)s added the home “%(summary)s”"),
        "land.note_add": _("%(actor)s added a note about the home “%(summary)s”"),
        "land.lease_create": _("%(actor)s signed a lease for “%(summary)s”"),
        "land.lease_ended": _("%(actor)s ended the lease of “%(summary)s”"),
        "land.lease_terminated": _("%(actor)s terminated the lease of “%(summary)s”"),
        "land.settings_update": _("%(actor)s changed the land trust's settings"),
        "land.waitlist_apply": _("A household joined the waiting list"),
        "land.waitlist_withdraw": _("A household left the waiting list"),
        "land.allocation_announce": _("%(actor)s announced a draw for the home “%(summary)s”"),
        "land.allocation_draw": _("%(actor)s drew the household for the home “%(summary)s” by lot"),
        "land.allocation_adopt": _("%(actor)s confirmed who gets the home “%(summary)s”"),
        "land.allocation_cancel": _("%(actor)s cancelled the draw for the home “%(summary)s”"),
    }
)
