"""Private helpers the panels' service modules share: text limits, the panel lock, the open check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dualpower.errors import Conflict
from dualpower.panels.models import Panel


def _locked(panel: Panel) -> Panel:
    return Panel.objects.select_for_update(of=("self",)).select_related("community").get(pk=panel.pk)


def _must_be_open(panel: Panel) -> None:
    if panel.state != Panel.State.OPEN:
        raise Conflict(_("Sign-up for this panel is closed; its volunteers and quotas can no longer change."))
