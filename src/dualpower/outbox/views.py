"""The page "Mail sent from this node": parse → check rule → read the folder → template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.outbox import selectors
from dualpower.web.permissions import check

LIMIT = 50


@require_GET
@with_community
def mail_list(request: HttpRequest, community: Community) -> HttpResponse:
    if selectors.mail_folder() is None:
        raise NotFound(_("This node sends its mail through a mail server and keeps no copies to show."))
    check(request, "outbox.read_mail", community)
    mails, more = selectors.mail_sent(limit=LIMIT)
    return render(request, "outbox/list.html", {"mails": mails, "more": more, "limit": LIMIT})
