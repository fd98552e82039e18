"""Queries whose SQL is written once per process (web/prepared.py, issue 21): what they return is
what the ORM returns for the same values, read afresh on each call (only the SQL is kept), with
the related rows ``select_related`` names and no further query; a value the SQL would transform is
refused rather than sent wrong. And the filter form kept per process (web/kept_forms.py) is what a
fresh rendering gives, another for other data or choices."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone, translation

from dualpower.assemblies import selectors
from dualpower.assemblies.models import Proposal
from dualpower.assemblies.tests.factories import ProposalFactory, general
from dualpower.members.models import Membership
from dualpower.members.tests.factories import CommunityFactory, make_membership
from dualpower.web.kept_forms import form_fields_html
from dualpower.web.prepared import Prepared

pytestmark = pytest.mark.django_db


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


_by_title = Prepared(
    lambda assembly, title: (
        Proposal.objects.filter(assembly_id=assembly, title=title).select_related("author").order_by("id")
    ),
    assembly=int,
    title=str,
)
_since = Prepared(
    lambda assembly, since: Proposal.objects.filter(assembly_id=assembly, created_at__gte=since).order_by(
        "id"
    ),
    window=True,
    assembly=int,
    since=datetime,
)


def test_a_prepared_query_returns_what_the_orm_returns_with_its_related_rows(
    django_assert_num_queries: Any,
) -> None:
    community = CommunityFactory.create()
    assembly = general(community)
    author = make_membership(community, name="Ada")
    for title in ("Tool library", "Tool library", "Night bus"):
        ProposalFactory.create(assembly=assembly, by=author, title=title)
    other = general(CommunityFactory.create())
    ProposalFactory.create(assembly=other, title="Tool library")

    expected = list(
        Proposal.objects.filter(assembly=assembly, title="Tool library")
        .select_related("author")
        .order_by("id")
    )
    with django_assert_num_queries(1):
        found = _by_title(assembly=assembly.pk, title="Tool library")
        assert [getattr(p.author, "display_name", None) for p in found] == ["Ada", "Ada"]  # joined
    assert [_fields(p) for p in found] == [_fields(p) for p in expected]
    assert [_fields(p.author) for p in found if p.author] == [_fields(p.author) for p in expected if p.author]
    # Other values, the same kept SQL: other rows.
    assert [p.title for p in _by_title(assembly=assembly.pk, title="Night bus")] == ["Night bus"]
    assert [p.assembly_id for p in _by_title(assembly=other.pk, title="Tool library")] == [other.pk]
    assert _by_title(assembly=assembly.pk, title="tool library") == []


def test_rows_written_after_the_first_call_are_read_by_the_next() -> None:
    community = CommunityFactory.create()
    assembly = general(community)
    author = make_membership(community, name="Bea")
    assert _by_title(assembly=assembly.pk, title="Seed swap") == []
    made = ProposalFactory.create(assembly=assembly, by=author, title="Seed swap")
    assert [p.pk for p in _by_title(assembly=assembly.pk, title="Seed swap")] == [made.pk]


def test_a_window_pages_through_the_rows_and_a_moment_is_compared_as_the_orm_does() -> None:
    community = CommunityFactory.create()
    assembly = general(community)
    made = [ProposalFactory.create(assembly=assembly, title=f"P{i}") for i in range(5)]
    start = min(p.created_at for p in made)
    page = _since(assembly=assembly.pk, since=start, limit=2, offset=2)
    assert [p.pk for p in page] == [p.pk for p in made[2:4]]
    later = timezone.now() + timedelta(days=1)
    assert _since(assembly=assembly.pk, since=later, limit=10, offset=0) == []
    expected = Proposal.objects.filter(assembly=assembly, created_at__gte=made[3].created_at).order_by("id")
    assert [p.pk for p in _since(assembly=assembly.pk, since=made[3].created_at, limit=10, offset=0)] == [
        p.pk for p in expected
    ]


def test_a_value_the_sql_would_transform_is_refused() -> None:
    contains = Prepared(
        lambda name: Membership.objects.filter(display_name__icontains=name), name=str
    )  # the SQL carries "%name%", not the name
    with pytest.raises(ValueError, match="not one of the values"):
        contains(name="ada")
    with pytest.raises(TypeError):
        _by_title(assembly="1", title="x")
    with pytest.raises(TypeError):
        _by_title(assembly=1)


def test_the_assembly_page_lists_what_the_orm_lists() -> None:
    community = CommunityFactory.create()
    assembly = general(community, discussion_days=0)
    author = make_membership(community, name="Cy")
    for i in range(3):
        ProposalFactory.create(assembly=assembly, by=author, title=f"Open {i}", open=True)
    a = selectors.assembly_get(community=community, slug=assembly.slug)
    assert a.community is community and a.policy.pk == assembly.policy.pk
    expected = list(
        selectors.proposals_open(assembly=a).filter(state=Proposal.State.VOTING, amends__isnull=True)
    )
    found = selectors.open_page(assembly=a, kind="voting", limit=25)
    assert [p.pk for p in found] == [p.pk for p in expected] and len(found) == 3
    assert [p.get_absolute_url() for p in found] == [p.get_absolute_url() for p in expected]
    assert [p.pk for p in selectors.open_page(assembly=a, kind="voting", limit=1, offset=1)] == [
        expected[1].pk
    ]
    proposal = selectors.proposal_get(assembly=a, pk=found[0].pk)
    assert proposal.assembly is a and proposal.author is not None and proposal.author.display_name == "Cy"
    for missing in (0, 10**30, "x", found[0].pk + 1000):
        with pytest.raises(Exception, match="no such proposal"):
            selectors.proposal_get(assembly=a, pk=missing)


class _Filters(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("open", "Open"), ("", "All")])
    kind = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any"), *kinds]  # type: ignore[attr-defined]


def test_a_kept_filter_form_is_what_a_fresh_rendering_gives() -> None:
    def both(data: dict[str, str], kinds: list[tuple[str, str]]) -> tuple[str, str]:
        kept = str(form_fields_html(_Filters(data, kinds=kinds), depends_on=tuple(kinds)))
        fresh = render_to_string("partials/_form_fields.html", {"form": _Filters(data, kinds=kinds)})
        return kept, fresh

    kinds = [("food", "Food"), ("rides", "Rides")]
    for data in ({"status": "open"}, {"status": "", "kind": "rides"}, {"status": "open"}, {"kind": "nope"}):
        kept, fresh = both(data, kinds)
        assert kept == fresh
    assert 'value="rides" selected' in both({"kind": "rides"}, kinds)[0]
    assert "Tools" in both({"status": "open"}, [*kinds, ("tools", "Tools")])[0]
    assert "Select a valid choice" in both({"kind": "nope"}, kinds)[0]
    with translation.override("es"):
        kept, fresh = both({"kind": "nope"}, kinds)
        assert kept == fresh and "Select a valid choice" not in kept
