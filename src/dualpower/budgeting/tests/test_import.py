"""Importing pabulib files: a closed cycle whose recount equals the engine's count of the file
and, for Świecie 2023 and Assen 2024 (Method of Equal Shares with add1), the cities' own result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from dualpower.budgeting.models import Ballot, Cycle, Phase, Result, Rule
from dualpower.budgeting.services import cycle_import, read_upload, run_rule
from dualpower.budgeting.tests.factories import make_cycle
from dualpower.core.choice.formats.pb import read_pb
from dualpower.core.choice.pb.greedy import greedy
from dualpower.core.choice.pb.mes import equal_shares
from dualpower.errors import InvalidInput

pytestmark = pytest.mark.django_db

SMALL = [
    "Netherlands_Amsterdam_643.pb",
    "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb",
    "Poland_Warszawa_2018_Pole_Mokotowskie.pb",
    "US_Stanford_Dataset_PB_Chicago_35th_Ward_2021_vote_rankings.pb",
    "Worldwide_Mechanical_Turk_Utilities_3.pb",
    "Canada_Stanford_Dataset_PB_Dieppe_2018_vote_approvals.pb",
]


def _import(community: Any, path: Path, rule: str | None = None) -> Cycle:
    return cycle_import(
        community=community,
        by=None,
        election=read_upload(path.read_bytes(), path.name),
        name=path.name,
        rule=rule,
    )


def _announced(path: Path) -> set[str]:
    election = read_pb(path)
    return {p.id for p in election.projects if p.extra.get("selected", "0").strip() in ("1", "1.0")}


@pytest.mark.parametrize("name", ["Poland_Swiecie_2023.pb", "Netherlands_Assen_2024.pb"])
def test_equal_shares_reproduces_what_the_city_announced(community: Any, pabulib: Path, name: str) -> None:
    cycle = _import(community, pabulib / name)
    assert cycle.rule == Rule.MES and cycle.phase == Phase.RESULTS
    result = Result.objects.get(cycle=cycle)
    assert set(result.selected) == _announced(pabulib / name)
    assert Ballot.objects.filter(cycle=cycle).count() == read_pb(pabulib / name).ballots.num_voters


@pytest.mark.parametrize("name", SMALL)
def test_recounting_an_imported_file_equals_the_engines_count_of_it(
    community: Any, pabulib: Path, name: str
) -> None:
    election = read_pb(pabulib / name)
    rule = Rule.GREEDY if election.meta.get("rule", "").startswith("greedy") else Rule.MES
    cycle = _import(community, pabulib / name, rule=rule)
    result = Result.objects.get(cycle=cycle)
    direct = equal_shares(election, completion="add1") if rule == Rule.MES else greedy(election)
    assert result.rule_selected == list(direct.selected)
    assert list(run_rule(cycle, read_pb(pabulib / name)).selected) == list(direct.selected)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"META\nkey;value\n", "x.txt", "ends in .pb"),
        (b"\xff\xfe\x00bad", "x.pb", "not UTF-8"),
        (b"hello", "x.pb", "cannot be read"),
    ],
)
def test_a_bad_file_is_refused_with_a_sentence(data: bytes, name: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        read_upload(data, name)


def test_an_imported_cycle_names_its_file_in_the_readers_language(community: Any) -> None:
    fresh = make_cycle(community, imported_from="x.pb", description="")
    older = make_cycle(community, imported_from="y.pb", description="Imported from the pabulib file y.pb.")
    own = make_cycle(community, imported_from="z.pb", description="The 2023 vote of Świecie.")
    with translation.override("es"):
        assert fresh.shown_description() == "Importado del archivo de pabulib x.pb."
        assert older.shown_description() == "Importado del archivo de pabulib y.pb."
        assert own.shown_description() == "The 2023 vote of Świecie."
    with translation.override("en"):
        assert older.shown_description() == "Imported from the pabulib file y.pb."
