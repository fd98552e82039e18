"""What the members' services share: limits, cleaning text, and who is acting."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, PermissionDenied
from dualpower.members.models import Membership, User

MAX_ANSWER = 2000
MAX_REASON = 500
MAX_LIST_ITEMS = 20
MAX_ITEM = 40
FORMER_MEMBER = "former member"

# Who acts: an account (the service finds its membership in the community) or a membership.
Actor = User | Membership


def _text_list(value: object, *, field: str, label: str, item_label: str) -> list[str]:
    """A short list of short texts (languages, skills): a list, or text separated by commas."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list | tuple):
        raise InvalidInput(_("%(field)s must be a list.") % {"field": label}, field=field)
    items = [clean_text(v, field=field, label=item_label, limit=MAX_ITEM) for v in value]
    items = list(dict.fromkeys(i for i in items if i))
    if len(items) > MAX_LIST_ITEMS:
        raise InvalidInput(_("At most %(n)d entries.") % {"n": MAX_LIST_ITEMS}, field=field)
    return items


def _acting_membership(by: Actor | None, community: Community) -> Membership | None:
    """The active membership through which ``by`` (a User or a Membership) acts in ``community``."""
    if isinstance(by, Membership):
        return by if by.community_id == community.pk and by.is_active else None
    if by is None:
        return None
    return Membership.objects.filter(user=by, community=community, status=Membership.Status.ACTIVE).first()


def _coordinator(by: Actor | None, community: Community) -> Membership:
    acting = _acting_membership(by, community)
    if acting is None or acting.role != Membership.Role.COORDINATOR:
        raise PermissionDenied(_("Only a coordinator of this community can do this."))
    return acting
