"""The learn app's audit entries as sentences (``community.hooks.register_audit_sentence``).

Who enrols in or attends an offering is never recorded here (every member reads the audit log).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say, say_all

# Holds and loans are recorded without who (loan history is kept only as counts).
for action, sentence in {
    "learn.hold_expire": _("A hold on “%(summary)s” expired"),
    "learn.hold_place": _("Someone placed a hold on “%(summary)s”"),
    "learn.hold_cancel": _("A hold on “%(summary)s” was cancelled"),
    "learn.hold_pause": _("A hold on “%(summary)s” was paused or resumed"),
    "learn.loan_start": _("“%(summary)s” was lent out"),
    "learn.loan_renew": _("The loan of “%(summary)s” was renewed"),
    "learn.loan_return": _("%(summary)s came back to the library"),
}.items():
    say(action, sentence, sentence)
say_all(
    {
        "learn.thing_create": _("%(actor)s added “%(summary)s” to the library"),
        "learn.thing_lend": _("%(actor)s made “%(summary)s” available to borrow"),
        "learn.thing_withdraw": _("%(actor)s stopped lending “%(summary)s”"),
        "learn.keepers_set": _("%(actor)s chose who keeps the library: %(summary)s"),
        "learn.offering_create": _("%(actor)s proposed “%(summary)s”"),
        "learn.facilitator_add": _("%(actor)s added a facilitator to %(summary)s"),
        "learn.session_add": _("%(actor)s added a session to %(summary)s"),
        "learn.session_notes": _("%(actor)s wrote notes for %(summary)s"),
        "learn.reading_add": _("%(actor)s added a reading to %(summary)s"),
        "learn.completion": _("%(actor)s recorded a completion of “%(summary)s”"),
        "learn.role_keeper": _("%(actor)s chose the working group keeping a trust role: %(summary)s"),
        "learn.role_link": _("%(actor)s linked a training to a trust role: %(summary)s"),
    }
)
