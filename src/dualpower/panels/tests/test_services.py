"""Setting up a panel, volunteering, and the draw: in order, once, reproducible."""

from __future__ import annotations

from fractions import Fraction

import pytest

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly
from dualpower.core import sortition
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership
from dualpower.panels import selectors, services
from dualpower.panels.models import Feature, Panel, Volunteer
from dualpower.panels.tests.factories import QUOTAS, PanelFactory, coordinator_of, drawn, fill

pytestmark = pytest.mark.django_db
SEED = "2026-12-05 4 17 23 31 42"


def test_the_draw_is_refused_until_the_seed_is_announced(community: object) -> None:
    panel = PanelFactory.create(community=community)
    fill(panel)
    by = coordinator_of(panel.community)
    with pytest.raises(Conflict, match="Announce the seed"):
        services.panel_draw(panel=panel, by=by)
    with pytest.raises(Conflict, match="Close sign-up first"):
        services.panel_seed_announce(panel=panel, seed=SEED, by=by)
    services.panel_close(panel=panel, seed_source="The lottery of 5 December", by=by)
    with pytest.raises(Conflict, match="Announce the seed"):
        services.panel_draw(panel=panel, by=by)
    assert not Volunteer.objects.filter(selected=True).exists()
    services.panel_seed_announce(panel=panel, seed=SEED, by=by)
    with pytest.raises(Conflict, match="already announced"):
        services.panel_seed_announce(panel=panel, seed="another seed", by=by)
    panel = services.panel_draw(panel=panel, by=by)
    assert panel.state == Panel.State.DRAWN
    assert panel.seed_announced_at is not None and panel.drawn_at is not None
    assert panel.seed_announced_at <= panel.drawn_at
    assert Volunteer.objects.filter(panel=panel, selected=True).count() == 4


def test_drawing_twice_is_refused_and_changes_nothing(community: object) -> None:
    panel = PanelFactory.create(community=community)
    fill(panel)
    panel = drawn(panel)
    selected = set(Volunteer.objects.filter(selected=True).values_list("pk", flat=True))
    with pytest.raises(Conflict, match="already drawn"):
        services.panel_draw(panel=panel, by=coordinator_of(panel.community))
    assert set(Volunteer.objects.filter(selected=True).values_list("pk", flat=True)) == selected
    assert Assembly.objects.filter(kind=Assembly.Kind.PANEL).count() == 1


def test_the_drawn_panel_sits_as_an_assembly_of_the_selected(community: object) -> None:
    panel = PanelFactory.create(community=community)
    fill(panel)
    panel = drawn(panel)
    assert panel.assembly is not None and panel.assembly.kind == Assembly.Kind.PANEL
    voters = set(bodies.voters_of(panel.assembly))
    assert voters == set(Membership.objects.filter(panel_volunteering__selected=True))
    assert len(voters) == 4


def test_the_published_chances_are_exact_and_add_up_to_the_panel_size(community: object) -> None:
    panel = PanelFactory.create(community=community)
    fill(panel)
    services.panel_close(panel=panel, seed_source="The lottery", by=coordinator_of(panel.community))
    chances = [Fraction(v.probability) for v in Volunteer.objects.filter(panel=panel)]
    assert sum(chances) == 4
    # Maximin gives everyone who can sit on some panel a real chance.
    assert min(chances) > 0


def test_anyone_can_reproduce_the_draw_from_the_export(community: object) -> None:
    panel = PanelFactory.create(community=community)
    fill(panel)
    panel = drawn(panel)
    data = selectors.panel_export(panel)
    pool = sortition.Pool.of(data["pool"])
    quotas = sortition.Quotas.of(
        {f: {v: tuple(b) for v, b in vals.items()} for f, vals in data["quotas"].items()}
    )
    lottery = sortition.select_distribution(pool, quotas, data["size"], objective=data["objective"])
    assert sortition.lottery_fingerprint(lottery) == data["lottery_fingerprint"]
    assert list(sortition.draw(lottery, data["seed"]).members) == sorted(data["selected"])
    assert {pid: str(p.numerator) + "/" + str(p.denominator) for pid, p in lottery.probabilities} == data[
        "probabilities"
    ]


def test_the_export_names_nobody(community: object) -> None:
    panel = PanelFactory.create(community=community)
    people = fill(panel)
    text = str(selectors.panel_export(drawn(panel)))
    assert not any(person.display_name in text for person in people)


def test_infeasible_quotas_are_refused_naming_the_feature_and_nothing_changes(community: object) -> None:
    panel = PanelFactory.create(
        community=community, features={**QUOTAS, "age band": {"under 40": (0, 3), "40 and over": (3, 4)}}
    )
    # Only one volunteer is 40 or over.
    fill(
        panel,
        [("Riverside", "under 40")] * 3 + [("Hillcrest", "under 40")] * 3 + [("Hillcrest", "40 and over")],
    )
    with pytest.raises(InvalidInput, match="age band") as error:
        services.panel_close(panel=panel, seed_source="The lottery", by=coordinator_of(panel.community))
    assert error.value.field == "features"
    panel.refresh_from_db()
    assert panel.state == Panel.State.OPEN and not panel.lottery
    assert not Volunteer.objects.exclude(probability="").exists()


def test_quotas_that_clash_across_features_name_both(community: object) -> None:
    quotas = {
        "neighbourhood": {"Riverside": (3, 4), "Hillcrest": (0, 4)},
        "age band": {"under 40": (0, 4), "40 and over": (3, 4)},
    }
    panel = PanelFactory.create(community=community, features=quotas)
    fill(panel, [("Riverside", "under 40")] * 4 + [("Hillcrest", "40 and over")] * 4)
    with pytest.raises(InvalidInput, match="'age band' and 'neighbourhood'"):
        services.panel_close(panel=panel, seed_source="The lottery", by=coordinator_of(panel.community))


def test_volunteering_rules(community: object) -> None:
    panel = PanelFactory.create(community=community)
    person = make_membership(panel.community)
    services.volunteer_signup(
        panel=panel, membership=person, answers={"neighbourhood": "Riverside", "age band": "under 40"}
    )
    with pytest.raises(Conflict, match="already volunteered"):
        services.volunteer_signup(
            panel=panel, membership=person, answers={"neighbourhood": "Riverside", "age band": "under 40"}
        )
    observer = make_membership(panel.community, role=Membership.Role.OBSERVER)
    with pytest.raises(PermissionDenied):
        services.volunteer_signup(
            panel=panel, membership=observer, answers={"neighbourhood": "Riverside", "age band": "under 40"}
        )
    services.volunteer_withdraw(panel=panel, membership=person)
    with pytest.raises(Conflict, match="not volunteered"):
        services.volunteer_withdraw(panel=panel, membership=person)
    assert not Volunteer.objects.exists()


def test_nobody_volunteers_or_withdraws_after_sign_up_closes(community: object) -> None:
    panel = PanelFactory.create(community=community)
    people = fill(panel)
    services.panel_close(panel=panel, seed_source="The lottery", by=coordinator_of(panel.community))
    late = make_membership(panel.community)
    with pytest.raises(Conflict, match="closed"):
        services.volunteer_signup(
            panel=panel, membership=late, answers={"neighbourhood": "Riverside", "age band": "under 40"}
        )
    with pytest.raises(Conflict, match="closed"):
        services.volunteer_withdraw(panel=panel, membership=people[0])
    with pytest.raises(Conflict, match="closed"):
        services.panel_update(panel=panel, by=None, size=5)
    assert Volunteer.objects.count() == len(people)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"neighbourhood": "Riverside"}, "age band"),
        ({"neighbourhood": "Mars", "age band": "under 40"}, "neighbourhood"),
        ({"neighbourhood": "Riverside", "age band": "under 40", "income": "low"}, "answers"),
        ("Riverside", "answers"),
    ],
)
def test_bad_answers_are_refused_and_write_nothing(community: object, answers: object, field: str) -> None:
    panel = PanelFactory.create(community=community)
    with pytest.raises(InvalidInput) as error:
        services.volunteer_signup(panel=panel, membership=make_membership(panel.community), answers=answers)  # type: ignore[arg-type]  # wrong on purpose
    assert error.value.field == field
    assert not Volunteer.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "A title is needed"),
        ({"size": 0}, "panel size must be"),
        ({"size": True}, "panel size must be"),
        ({"objective": "lottery"}, "maximin or leximin"),
        ({"features": {}}, "at least one feature"),
        ({"features": {"gender": {"woman": (1, 2)}}}, "at least two values"),
        ({"features": {"gender": {"woman": (3, 2), "man": (0, 4)}}}, "at least, then at most"),
        ({"features": {"gender": {"woman": (3, 4), "man": (3, 4)}}}, "minimums for “gender” add up"),
        ({"features": {"gender": {"woman": (0, 1), "man": (0, 1)}}}, "maximums for “gender” add up"),
        ({"features": {"gender": {"woman": (0, 4), "Woman": (0, 4)}}}, "given twice"),
    ],
)
def test_bad_panels_are_refused_and_write_nothing(community: object, changes: dict, message: str) -> None:
    args = {"title": "Panel", "size": 4, "features": QUOTAS, "objective": "maximin"}
    args.update(changes)
    with pytest.raises(InvalidInput, match=message):
        services.panel_create(community=community, by=None, **args)  # type: ignore[arg-type]  # wrong on purpose
    assert not Panel.objects.exists() and not Feature.objects.exists()


def test_quotas_numbers_may_change_while_open_but_not_the_questions(community: object) -> None:
    panel = PanelFactory.create(community=community)
    fill(panel, [("Riverside", "under 40")])
    looser = {f: {v: (0, 4) for v in vals} for f, vals in QUOTAS.items()}
    services.panel_update(panel=panel, by=None, features=looser)
    assert services.quotas_of(panel)["neighbourhood"]["Riverside"] == (0, 4)
    with pytest.raises(Conflict, match="change only the numbers"):
        services.panel_update(
            panel=panel, by=None, features={**looser, "gender": {"woman": (0, 4), "man": (0, 4)}}
        )
    assert list(services.quotas_of(panel)) == ["neighbourhood", "age band"]


def test_leximin_panels_draw_too(community: object) -> None:
    panel = PanelFactory.create(community=community, objective="leximin")
    fill(panel)
    panel = drawn(panel)
    assert panel.lottery["objective"] == "leximin"
    assert Volunteer.objects.filter(selected=True).count() == 4
