"""The deliberations' API: read the map (never anyone's votes), take part, as the pages do."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema, Status

from dualpower.community.selectors import community_get
from dualpower.deliberation import selectors, services
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["deliberation"])


class DeliberationOut(Schema):
    id: int
    question: str
    description: str
    assembly: str
    state: str
    participants: int
    map: dict[str, Any]


class DeliberationStatementOut(Schema):
    number: int
    text: str
    agrees: int
    disagrees: int
    passes: int


class DeliberationStatementIn(Schema):
    text: str


class DeliberationVoteIn(Schema):
    value: Literal["agree", "disagree", "pass"]


def _out(d: Any) -> DeliberationOut:
    shown = dict(d.opinion_map or {})
    shown.pop("state", None)
    return DeliberationOut(
        id=d.pk,
        question=d.question,
        description=d.description,
        assembly=d.assembly.slug,
        state=d.state,
        participants=d.participants_count,
        map=shown,
    )


@router.get("/communities/{slug}/deliberations", response=list[DeliberationOut])
def deliberations_list(request: HttpRequest, slug: str, before: int | None = None) -> list[DeliberationOut]:
    community = community_get(slug=slug)
    check(request, "deliberation.view", community)
    return [_out(d) for d in selectors.deliberations_page(community=community, before=before).rows]


@router.get("/communities/{slug}/deliberations/{pk}", response=DeliberationOut)
def deliberation_read(request: HttpRequest, slug: str, pk: int) -> DeliberationOut:
    deliberation = selectors.deliberation_get(community=community_get(slug=slug), pk=pk)
    check(request, "deliberation.view", deliberation)
    return _out(deliberation)


@router.get("/communities/{slug}/deliberations/{pk}/statements", response=list[DeliberationStatementOut])
def statements_list(request: HttpRequest, slug: str, pk: int) -> list[DeliberationStatementOut]:
    deliberation = selectors.deliberation_get(community=community_get(slug=slug), pk=pk)
    check(request, "deliberation.view", deliberation)
    shown = selectors.statements_shown(deliberation=deliberation)
    # Each statement carries its counts, annotated by the selector's query (read by name here).
    return [
        DeliberationStatementOut(
            number=n,
            text=s.text,
            **{k: getattr(s, k) for k in ("agrees", "disagrees", "passes")},
        )
        for n, s in shown.items()
    ]


@router.post("/communities/{slug}/deliberations/{pk}/statements", response={201: DeliberationStatementOut})
def statement_create(request: HttpRequest, slug: str, pk: int, body: DeliberationStatementIn) -> Status:
    community = community_get(slug=slug)
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    check(request, "deliberation.take_part", deliberation)
    me = membership_for(request.user, community)
    assert me is not None
    made = services.statement_add(deliberation=deliberation, by=me, text=body.text)
    return Status(
        201, DeliberationStatementOut(number=made.number, text=made.text, agrees=1, disagrees=0, passes=0)
    )


@router.put("/communities/{slug}/deliberations/{pk}/statements/{number}/vote", response={204: None})
def vote_put(request: HttpRequest, slug: str, pk: int, number: int, body: DeliberationVoteIn) -> Status:
    community = community_get(slug=slug)
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    check(request, "deliberation.take_part", deliberation)
    statement = selectors.statement_get(deliberation=deliberation, number=number)
    me = membership_for(request.user, community)
    assert me is not None
    services.vote_cast(statement=statement, by=me, value=body.value)
    return Status(204, None)
