"""Activities and shifts: their audit entries as sentences (``community.hooks.register_audit_sentence``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import changes, say, say_all

_SERIES_FIELDS = {
    "title": _("title"),
    "description": _("description"),
    "place": _("place"),
    "group": _("working group"),
}

say(
    "activities.role_grant",
    _("%(actor)s made %(summary)s trusted for a role"),
    _("%(summary)s is now trusted for a role, vouched for by enough members"),
)
say(
    "activities.role_revoke",
    _("%(actor)s took a trusted role from %(summary)s"),
    _("%(summary)s is no longer trusted for a role: too few vouches remain"),
)
say_all(
    {
        "activities.series_create": _("%(actor)s set up the activity “%(summary)s”"),
        "activities.series_update": changes(
            _("%(actor)s changed the %(fields)s of the activity “%(summary)s”"), _SERIES_FIELDS
        ),
        "activities.series_reschedule": _("%(actor)s changed when “%(summary)s” takes place"),
        "activities.series_stop": _("%(actor)s stopped the activity “%(summary)s”"),
        "activities.organiser_add": _("%(actor)s made %(summary)s an organiser of an activity"),
        "activities.organiser_remove": _("%(actor)s took %(summary)s off an activity's organisers"),
        "activities.activity_cancel": _("%(actor)s cancelled “%(summary)s”"),
        "activities.slot_capacity": _("%(actor)s changed how many people “%(summary)s” needs"),
        "activities.sign_up": _("%(actor)s signed up for a shift (%(summary)s)"),
        "activities.leave": _("%(actor)s left a shift (%(summary)s)"),
        "activities.no_show": _("%(actor)s marked %(summary)s as not there"),
        "activities.no_show_undo": _("%(actor)s marked %(summary)s as there after all"),
        "activities.feedback": _("%(actor)s gave feedback on an activity"),
        "activities.feedback_change": _("%(actor)s changed their feedback on an activity"),
        "activities.role_create": _("%(actor)s created the trusted role “%(summary)s”"),
        "activities.role_update": changes(
            _("%(actor)s changed the %(fields)s of the trusted role “%(summary)s”"),
            {"name": _("name"), "description": _("description"), "threshold": _("vouches needed")},
        ),
        "activities.vouch": _("%(actor)s vouched for %(summary)s"),
        "activities.vouch_withdraw": _("%(actor)s withdrew their vouch for %(summary)s"),
    }
)
