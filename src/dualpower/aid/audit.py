"""Mutual aid: its audit entries as sentences (``community.hooks.register_audit_sentence``).

Requests are named by their code, never by who asked: the log is read by every member."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say, say_all

say(
    "aid.request.erase",
    _("%(actor)s erased the private details of closed requests"),
    _("The private details of closed requests were erased"),
)
say_all(
    {
        "aid.category.add": _("%(actor)s added the category “%(summary)s”"),
        "aid.dispatcher.grant": _("%(actor)s made %(summary)s a dispatcher"),
        "aid.dispatcher.revoke": _("%(actor)s took the dispatcher's role from %(summary)s"),
        "aid.settings": _("%(actor)s changed the mutual aid settings"),
        "aid.request.create": _("%(actor)s asked for help (request %(summary)s)"),
        "aid.request.intake": _("%(actor)s took in request %(summary)s"),
        "aid.request.details": _("%(actor)s changed the details of request %(summary)s"),
        "aid.request.cancelled": _("%(actor)s cancelled request %(summary)s"),
        "aid.request.referred": _("%(actor)s referred request %(summary)s to another group"),
        "aid.request.fulfilled": _("%(actor)s closed request %(summary)s as fulfilled"),
        "aid.offer.create": _("%(actor)s offered help"),
        "aid.offer.active": _("%(actor)s made their offer of help active again"),
        "aid.offer.paused": _("%(actor)s paused their offer of help"),
        "aid.offer.withdrawn": _("%(actor)s withdrew their offer of help"),
        "aid.match.propose": _("%(actor)s proposed a volunteer for request %(summary)s"),
        "aid.match.accept": _("%(actor)s offered to help with request %(summary)s"),
        "aid.match.confirm": _("%(actor)s confirmed the help for request %(summary)s"),
        "aid.match.start": _("%(actor)s started helping with request %(summary)s"),
        "aid.match.fulfil": _("%(actor)s recorded the help given for request %(summary)s"),
        "aid.match.release": _("%(actor)s released a volunteer from request %(summary)s"),
        "aid.match.feedback": _("%(actor)s gave feedback on the help for request %(summary)s"),
    }
)

# Referrals between peer communities: the peer is named (a community), never the person. The last
# four are the node acting on what a peer sent, so they name no one of ours.
say_all(
    {
        "aid.referral.offer": _("%(actor)s referred request %(summary)s to %(name)s"),
        "aid.referral.accept": _("%(actor)s accepted a request referred by %(summary)s"),
        "aid.referral.decline": _("%(actor)s declined a request referred by %(summary)s"),
        "aid.referral.received": _("%(summary)s referred a request to this community"),
        "aid.referral.accepted": _("%(name)s accepted request %(summary)s; its details were sent to them"),
        "aid.referral.declined": _("%(name)s declined request %(summary)s"),
        "aid.referral.details": _("The details of request %(summary)s arrived from %(name)s"),
    }
)
