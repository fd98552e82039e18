"""The outcome statement's page: its facilitator writes what was decided, after the vote."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.assemblies import selectors, services
from dualpower.assemblies.forms import OutcomeStatementForm
from dualpower.assemblies.models import OutcomeStatement
from dualpower.assemblies.views._common import _proposal
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def outcome_statement(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    check(request, "assemblies.write_outcome", proposal)
    versions = selectors.outcome_statements(proposal)
    form = OutcomeStatementForm(request.POST or None, initial={"text": versions[0].text if versions else ""})

    def write(data: dict[str, Any]) -> OutcomeStatement:
        return services.outcome_statement_write(
            proposal=proposal, by=membership_for(request.user, community), text=data["text"]
        )

    return form_action(
        request,
        form=form,
        run=write,
        success=proposal.get_absolute_url(),
        message=_("The outcome statement is saved."),
        template="assemblies/outcome_statement.html",
        context={"assembly": proposal.assembly, "proposal": proposal, "versions": versions},
    )
