"""The deliberation pages (parse → check → service → template).

c/<slug>/deliberations/                              the list; open one
c/<slug>/deliberations/new/                          put a question to an assembly
c/<slug>/deliberations/<pk>/                         vote one statement at a time, add one, the map
c/<slug>/deliberations/<pk>/statements/<n>/vote/     agree / disagree / pass (POST)
c/<slug>/deliberations/<pk>/statements/new/          add a statement (POST)
c/<slug>/deliberations/<pk>/mine/                    my own votes, to change them
c/<slug>/deliberations/<pk>/moderate/                the facilitators' list; each statement's decision
c/<slug>/deliberations/<pk>/propose/                 start a proposal from consensus statements
c/<slug>/deliberations/<pk>/close/                   close it (POST)
c/<slug>/deliberations/<pk>/votes.csv                every vote by participant number (anonymised)
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dualpower.assemblies import selectors as assemblies
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.deliberation import selectors, services
from dualpower.deliberation.forms import ModerateForm, OpenForm, ProposalForm, StatementForm
from dualpower.deliberation.map_drawing import drawn
from dualpower.deliberation.models import Deliberation, Statement
from dualpower.deliberation.views.common import member_acting, vote_posted
from dualpower.errors import NotFound
from dualpower.members.roles import membership_for
from dualpower.spreadsheet import csv_writer
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


def _before(request: HttpRequest) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() else None


@require_GET
@with_community
def deliberation_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "deliberation.view", community)
    before = _before(request)
    page = selectors.deliberations_page(community=community, before=before)
    from_peers = selectors.peer_deliberations(community=community) if before is None else []
    return render(
        request,
        "deliberation/list.html",
        {
            "page": page,
            "may_open": request.user.has_perm("deliberation.open", community),
            "from_peers": from_peers,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def deliberation_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "deliberation.open", community)
    me = membership_for(request.user, community)
    choices = [a for a in assemblies.assemblies_for(community=community) if assemblies.may_propose(a, me)]
    form = OpenForm(
        request.POST or None, assemblies=choices, initial={"assembly": request.GET.get("assembly", "")}
    )

    def run(data: dict[str, Any]) -> Deliberation:
        assembly = assemblies.assembly_get(community=community, slug=data["assembly"])
        check(request, "deliberation.open", assembly)
        assert me is not None
        return services.deliberation_open(
            assembly=assembly,
            by=me,
            question=data["question"],
            description=data["description"],
            moderation=data["moderation"],
            seeds=data["seeds"].splitlines(),
        )

    return form_action(
        request,
        form=form,
        run=run,
        success=lambda d: reverse("deliberation:detail", args=[community.slug, d.pk]),
        message=_("The deliberation is open: share it with the assembly."),
        template="deliberation/new.html",
    )


def _link_url(request: HttpRequest, deliberation: Deliberation) -> str:
    where = [deliberation.community.slug, deliberation.pk, deliberation.link_token]
    return request.build_absolute_uri(reverse("deliberation:link", args=where))


def _detail_context(request: HttpRequest, deliberation: Deliberation) -> dict[str, Any]:
    me = membership_for(request.user, deliberation.community)
    participant = selectors.participant_of(deliberation=deliberation, membership=me)
    may_take_part = request.user.has_perm("deliberation.take_part", deliberation)
    shown = selectors.statements_shown(deliberation=deliberation)
    found = deliberation.opinion_map or {}
    may_share_link = request.user.has_perm("deliberation.share_link", deliberation)
    return {
        "may_open_to_peers": request.user.has_perm("deliberation.open_to_peers", deliberation),
        "may_share_link": may_share_link,
        "link_url": request.build_absolute_uri(
            reverse(
                "deliberation:link",
                args=[deliberation.community.slug, deliberation.pk, deliberation.link_token],
            )
        )
        if may_share_link and deliberation.link_token
        else "",
        "deliberation": deliberation,
        "may_take_part": may_take_part,
        "may_moderate": request.user.has_perm("deliberation.moderate", deliberation),
        "may_propose": request.user.has_perm("deliberation.start_proposal", deliberation)
        and deliberation.assembly.is_archived is False,
        "next": selectors.next_statement(deliberation=deliberation, participant=participant)
        if may_take_part
        else None,
        "my_votes_count": participant.votes.count() if participant is not None else 0,
        "form": StatementForm(),
        "statements": shown,
        "map": drawn(found, shown),
        "map_behind": deliberation.map_votes < deliberation.votes_seen,
        "started": selectors.started_proposals(deliberation=deliberation),
    }


@require_GET
@with_community
def deliberation_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    check(request, "deliberation.view", deliberation)
    return render(request, "deliberation/detail.html", _detail_context(request, deliberation))


@require_POST
@with_community
def statement_vote(request: HttpRequest, community: Community, pk: int, number: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    me = member_acting(request, community, "deliberation.take_part", deliberation)
    statement = selectors.statement_get(deliberation=deliberation, number=number)
    back = request.POST.get("back") == "mine"
    here = reverse("deliberation:mine" if back else "deliberation:detail", args=[community.slug, pk])
    return vote_posted(
        request,
        cast=lambda value: services.vote_cast(statement=statement, by=me, value=value),
        back=here + ("" if back else "#vote"),
        message=_("Your vote is counted. Here is the next statement.")
        if not back
        else _("Your vote is changed."),
    )


@require_POST
@with_community
def statement_new(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    me = member_acting(request, community, "deliberation.take_part", deliberation)
    form = StatementForm(request.POST)

    def message(statement: Statement) -> str:
        if statement.state == Statement.State.PENDING:
            return _("Thank you: your statement waits for a facilitator, then others vote on it.")
        return _("Thank you: others will now vote on your statement.")

    return form_action(
        request,
        form=form,
        run=lambda data: services.statement_add(
            deliberation=deliberation, by=me, text=data["text"], language=request.LANGUAGE_CODE
        ),
        success=lambda _s: reverse("deliberation:detail", args=[community.slug, pk]) + "#add",
        message=message,
        template="deliberation/detail.html",
        context={k: v for k, v in _detail_context(request, deliberation).items() if k != "form"},
    )


@require_GET
@with_community
def my_votes(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    check(request, "deliberation.view", deliberation)
    me = membership_for(request.user, community)
    participant = selectors.participant_of(deliberation=deliberation, membership=me)
    return render(
        request,
        "deliberation/mine.html",
        {
            "deliberation": deliberation,
            "votes": selectors.my_votes(deliberation=deliberation, participant=participant),
            "may_take_part": request.user.has_perm("deliberation.take_part", deliberation),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def moderate(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    me = member_acting(request, community, "deliberation.moderate", deliberation)
    number = request.POST.get("statement", "")
    form = ModerateForm(request.POST or None)

    def run(data: dict[str, Any]) -> Statement:
        if not number.isdigit():
            raise NotFound()
        statement = selectors.statement_get(deliberation=deliberation, number=int(number))
        duplicate = None
        if data["decision"] == "duplicate" and data.get("duplicate_of"):
            duplicate = selectors.statement_get(deliberation=deliberation, number=data["duplicate_of"])
        return services.statement_moderate(
            statement=statement,
            by=me,
            decision=data["decision"],
            reason=data["reason"],
            duplicate_of=duplicate,
        )

    return form_action(
        request,
        form=form,
        run=run,
        success=lambda _s: reverse("deliberation:moderate", args=[community.slug, pk]),
        message=lambda s: _("Statement %(n)d: %(state)s.") % {"n": s.number, "state": s.get_state_display()},
        template="deliberation/moderate.html",
        context={
            "deliberation": deliberation,
            "statements": selectors.statements_to_moderate(deliberation=deliberation),
            "chosen": number,
        },
    )


def _proposal_text(deliberation: Deliberation, chosen: list[Statement], link: str) -> str:
    lines = [
        _("From the deliberation “%(q)s”, where every opinion group agreed:") % {"q": deliberation.question},
        "",
    ]
    lines += [f"- {s.text}" for s in chosen]
    lines += ["", _("The deliberation and its map: %(link)s") % {"link": link}]
    return "\n".join(lines)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def proposal_start(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    check(request, "deliberation.start_proposal", deliberation)
    me = member_acting(request, community, "assemblies.propose", deliberation.assembly)
    shown = selectors.statements_shown(deliberation=deliberation)
    numbers = [
        int(n) for n in (request.POST.getlist("statements") or request.GET.getlist("s")) if n.isdigit()
    ]
    chosen = [shown[n] for n in numbers if n in shown]
    link = request.build_absolute_uri(reverse("deliberation:detail", args=[community.slug, pk]))
    form = ProposalForm(
        request.POST or None,
        initial={"title": deliberation.question, "body": _proposal_text(deliberation, chosen, link)},
    )
    consensus = [c["statement"] for c in (deliberation.opinion_map or {}).get("consensus", [])]
    return form_action(
        request,
        form=form,
        run=lambda data: services.proposal_start(
            deliberation=deliberation, by=me, statements=chosen, title=data["title"], body=data["body"]
        ),
        success=lambda p: reverse(
            "assemblies:proposal", args=[community.slug, deliberation.assembly.slug, p.pk]
        ),
        message=_("The proposal is put to the assembly, linked to this deliberation."),
        template="deliberation/propose.html",
        context={
            "deliberation": deliberation,
            "candidates": [shown[n] for n in consensus if n in shown] or list(shown.values()),
            "chosen": set(numbers),
            "from_consensus": bool(consensus),
        },
    )


@require_POST
@with_community
def deliberation_close(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    me = member_acting(request, community, "deliberation.moderate", deliberation)
    return post_action(
        request,
        run=lambda: services.deliberation_close(deliberation=deliberation, by=me),
        back=reverse("deliberation:detail", args=[community.slug, pk]),
        message=_("The deliberation is closed; its map stays."),
    )


@require_GET
@with_community
def votes_csv(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    deliberation = selectors.deliberation_get(community=community, pk=pk)
    check(request, "deliberation.view", deliberation)
    rows = (
        (participant, statement, value, "" if state == Statement.State.ACCEPTED else "moderated-out")
        for participant, statement, value, state in selectors.votes_for_export(deliberation=deliberation)
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="deliberation-{deliberation.pk}-votes.csv"'
    writer = csv_writer(response)
    writer.writerow(["participant", "statement", "vote", "moderated"])
    writer.writerows(rows)
    return response
