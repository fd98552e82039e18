"""The API's list of proposals is served as prepared rows (api_prepared): it must answer byte for
byte what ninja made by validating the same proposals through ``ProposalOut``."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.api import api
from dualpower.assemblies import api as assemblies_api
from dualpower.assemblies import selectors, services
from dualpower.assemblies.schemas import ProposalOut
from dualpower.assemblies.tests.factories import general, open_proposal
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/assemblies/general/proposals"


@pytest.fixture
def ga(community: Any, people: dict[str, Any]) -> Any:
    """An assembly showing running results, with an open vote someone voted in, a poll with
    options, a closed-to-discussion idea and a draft."""
    assembly = general(community, secret_ballots=False, results_hidden_until_close=False)
    author = membership_of(people["coordinator"], community)
    voted = open_proposal(assembly, author, process="majority")
    services.vote_cast(proposal=voted, by=membership_of(people["member"], community), position="agree")
    services.proposal_create(
        assembly=assembly,
        by=author,
        title="Which colour",
        body="Paint the hall",
        process="approval",
        options=[{"label": "Red"}, {"label": "Blue"}],
    )
    open_proposal(assembly, author, title="Consent to the rota", process="consent")
    services.proposal_create(
        assembly=assembly, by=author, title="Draft", body="", process="consensus", draft=True
    )
    return assembly


def _validated(assembly: Any, *, state: str, limit: int, offset: int) -> bytes:
    """What ninja answered before: each proposal of the page through ``ProposalOut``."""
    listed = selectors.ListedProposals(assembly, state)
    rows = listed[offset : offset + limit]
    shown = [p for p in rows if assemblies_api._shows_counts(p)]
    counts = selectors.running_counts_of(shown)
    items = [ProposalOut.model_validate(assemblies_api._out(p, counts)).model_dump() for p in rows]
    page = {"items": items, "count": listed.count()}
    return api.renderer.render(None, page, response_status=200).encode()  # type: ignore[arg-type]


@pytest.mark.parametrize("role", ["member", "coordinator"])
@pytest.mark.parametrize("query", [("", 50, 0), ("voting", 50, 0), ("", 1, 1), ("", 2, 2), ("closed", 5, 0)])
def test_the_list_is_what_the_schema_makes_of_the_proposals(
    client_for: Any, ga: Any, role: str, query: tuple[str, int, int]
) -> None:
    state, limit, offset = query
    response = client_for(role).get(f"{API}?state={state}&limit={limit}&offset={offset}")
    assert response.status_code == 200
    assert response.content == _validated(ga, state=state, limit=limit, offset=offset)
    assert any(p["running_counts"] for p in response.json()["items"]) or state == "closed" or offset
