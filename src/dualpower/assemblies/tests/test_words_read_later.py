"""Words the app writes and stores (assembly names, amendment titles, what a decision's actions did)
read in the reader's language, while what people typed reads as typed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from dualpower.assemblies import names, services
from dualpower.assemblies.models import Assembly, Proposal, ProposalAction
from dualpower.assemblies.tests.factories import after_close, general, open_proposal
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def test_the_general_assembly_made_in_english_reads_in_spanish_until_renamed(community: Any) -> None:
    with translation.override("en"):
        assembly = general(community)
    assert assembly.name == "General assembly"
    with translation.override("es"):
        assert assembly.name_shown == "Asamblea general" == str(assembly)
    assembly.name = "Asamblea del barrio"
    with translation.override("en"):
        assert assembly.name_shown == "Asamblea del barrio"


def test_a_name_made_in_spanish_reads_in_english() -> None:
    with translation.override("es"):
        stored = names.members_assembly_name("Pan y Rosas")
    assert stored == "Asamblea de integrantes de Pan y Rosas"
    with translation.override("en"):
        assert names.assembly_name_shown(stored) == "Pan y Rosas members' assembly"
        assert names.assembly_name_shown("Asamblea general") == "General assembly"
        assert names.assembly_name_shown("Asamblea general del sur") == "Asamblea general del sur"
    with translation.override("es"):
        assert names.assembly_name_shown("Housing") == "Vivienda"  # a starter group's assembly


def test_an_amendment_title_reads_in_the_readers_language_but_a_typed_title_does_not(
    people: Any, community: Any
) -> None:
    mara = membership_of(people["member"], community)
    parent = open_proposal(general(community), mara, title="Open the pantry on Sundays")
    with translation.override("en"):
        title = names.amendment_title(parent.title)
    vote = Proposal.objects.create(assembly=parent.assembly, author=mara, title=title, amends=parent)
    with translation.override("es"):
        assert vote.title_shown == "Enmienda a “Open the pantry on Sundays”"
    typed = Proposal.objects.create(assembly=parent.assembly, author=mara, title=title)
    with translation.override("es"):
        assert typed.title_shown == title  # not an amendment: shown as typed


def test_what_an_action_did_reads_in_the_readers_language(people: Any, community: Any) -> None:
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    p = open_proposal(
        general(community),
        mara,
        process="majority",
        actions=[{"kind": "members.role", "params": {"membership": mara.pk, "role": "coordinator"}}],
    )
    services.vote_cast(proposal=p, by=cato, position="agree")
    with translation.override("en"):  # closed by someone reading English
        services.proposal_close(proposal=p, now=after_close(p))
    act = ProposalAction.objects.get(proposal=p)
    assert act.status == ProposalAction.Status.DONE
    assert act.result == f"{mara.display_name} now has the role Coordinator."
    with translation.override("es"):
        assert act.result_shown == f"Ahora {mara.display_name} tiene el rol Coordinador/a."
    client = Client()
    client.force_login(people["member"])
    client.cookies["django_language"] = "es"
    page = client.get(p.get_absolute_url()).content.decode()
    assert f"Ahora {mara.display_name} tiene el rol Coordinador/a." in page
    assert "now has the role" not in page


def test_an_older_result_without_its_words_reads_as_it_was_written(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    p = open_proposal(general(community), mara, process="majority")
    act = ProposalAction.objects.create(
        proposal=p,
        kind="members.role",
        status=ProposalAction.Status.DONE,
        result="Rosa now has the role Member.",
    )
    assert act.result_spec == {}
    with translation.override("es"):
        assert act.result_shown == "Rosa now has the role Member."


def test_an_unexpected_failure_reads_in_the_readers_language(
    people: Any, community: Any, monkeypatch: Any
) -> None:
    from dualpower.assemblies import actions

    kind = actions.get("members.role")

    def broken(**_kwargs: Any) -> str:
        raise RuntimeError("boom")

    monkeypatch.setitem(
        actions._registry, "members.role", actions.ActionKind(**{**kind.__dict__, "run": broken})
    )
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    p = open_proposal(
        general(community),
        mara,
        process="majority",
        actions=[{"kind": "members.role", "params": {"membership": mara.pk, "role": "coordinator"}}],
    )
    services.vote_cast(proposal=p, by=cato, position="agree")
    with translation.override("en"):
        services.proposal_close(proposal=p, now=after_close(p))
    act = ProposalAction.objects.get(proposal=p)
    assert act.status == ProposalAction.Status.FAILED and act.result == "an unexpected error (RuntimeError)."
    with translation.override("es"):
        assert act.result_shown != act.result and "RuntimeError" in act.result_shown
    assert Assembly.objects.filter(pk=p.assembly_id).exists()


def test_a_policy_change_names_the_general_assembly_in_the_readers_language(
    people: Any, community: Any
) -> None:
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    with translation.override("en"):
        assembly = general(community)
    p = open_proposal(
        assembly,
        mara,
        process="majority",
        actions=[
            {
                "kind": "assemblies.change_policy",
                "params": {"assembly": assembly.pk, "changes": {"discussion_days": 3}},
            }
        ],
    )
    services.vote_cast(proposal=p, by=cato, position="agree")
    with translation.override("en"):
        services.proposal_close(proposal=p, now=after_close(p))
    act = ProposalAction.objects.get(proposal=p)
    assert act.status == ProposalAction.Status.DONE, act.result
    assert act.result == "The policy of General assembly is changed."
    with translation.override("es"):
        assert "Asamblea general" in act.result_shown and "General assembly" not in act.result_shown
