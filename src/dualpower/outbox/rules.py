"""Who may read the mail the node sent. The only place access to it is decided.

The mail folder holds every email of the node, of every community on it, including sign-in and
password-reset links: whoever reads it could take over those accounts. So only coordinators (of a
community on the node; with two-factor authentication when the node asks it of coordinators) read
it, and only while the node has no mail server and so delivers nothing anyway (development, a
trial). A node with ``DP_EMAIL_HOST`` set keeps no copies and shows no page.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.members.rules import is_acting_coordinator
from dualpower.outbox.selectors import mail_folder


@rules.predicate
def keeps_mail_in_folder(user: Any = None, obj: Any = None) -> bool:
    """The node writes its mail into a folder instead of sending it."""
    return mail_folder() is not None


rules.add_perm("outbox.read_mail", keeps_mail_in_folder & is_acting_coordinator)

PERMISSIONS = ("outbox.read_mail",)
