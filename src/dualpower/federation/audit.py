"""Federation's audit entries as sentences (``community.hooks.register_audit_sentence``).

Peering is decided by an assembly: its entries carry the decision (``decision_ref``), so the
sentence says what the decision did. What another community did (offering, accepting, ending)
arrives signed by them and is recorded with no actor: the node took it in.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower.community.audit import say, say_all

say(
    "federation.peer",
    _("%(actor)s decided to become peers with %(summary)s"),
    _("The assembly decided to become peers with %(summary)s"),
)
say(
    "federation.unpeer",
    _("%(actor)s decided to end the peering with %(summary)s"),
    _("The assembly decided to end the peering with %(summary)s"),
)
say_all(
    {
        "federation.peer_invited": _("%(summary)s offered to become peers"),
        "federation.peer_active": _("%(summary)s and this community became peers"),
        "federation.peer_ended": _("%(summary)s ended the peering"),
        "federation.follow": _("%(actor)s asked to follow %(summary)s"),
        "federation.unfollow": _("%(actor)s stopped following %(summary)s"),
        "federation.follower_remove": _("%(actor)s removed the follower %(summary)s"),
        "federation.host_block": _("An operator of the node blocked the server %(summary)s"),
        "federation.host_unblock": _("An operator of the node unblocked the server %(summary)s"),
        "federation.delivery_retry": _("An operator of the node sent again what had not reached %(summary)s"),
    }
)

# The directory (directory_services.py): the profile, and member communities by decision.
say_all({"federation.profile_save": _("%(actor)s changed the community's directory profile")})
say(
    "federation.add_member_community",
    _("%(actor)s decided to record %(summary)s as a member community"),
    _("The assembly decided to record %(summary)s as a member community"),
)
say(
    "federation.remove_member_community",
    _("%(actor)s decided that %(summary)s is no longer a member community"),
    _("The assembly decided that %(summary)s is no longer a member community"),
)
