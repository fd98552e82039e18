"""Suggestions per request and the batch "assign all", through the aid tables."""

from __future__ import annotations

import pytest

from dualpower.aid import engine, services
from dualpower.aid.models import AidMatch
from dualpower.aid.reasons import render
from dualpower.aid.tests.factories import AidOfferFactory, AidWorld, make_request
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def test_suggestions_rank_the_fitting_offer_first_and_explain_it(world: AidWorld) -> None:
    far = make_membership(world.community, name="Far")
    AidOfferFactory.create(community=world.community, volunteer=far, neighbourhood="Hillcrest")
    request = make_request(world, languages=["Spanish"])
    found = engine.suggestions_for(request)
    assert [s.offer.volunteer.display_name for s in found] == ["Vic", "Far"]
    assert [r.code for r in found[0].reasons][:2] == ["same_neighbourhood", "speaks"]
    assert found[0].explanation.startswith("same neighbourhood; speaks Spanish; ")
    assert "km away (hillcrest)" in found[1].explanation
    # The transport volunteer never appears for food.
    assert all(s.offer != world.transport_offer for s in found)


def test_no_suggestion_of_the_requesters_own_offer_or_a_full_offer(world: AidWorld) -> None:
    AidOfferFactory.create(community=world.community, volunteer=world.member)  # the requester offers food too
    world.food_offer.capacity = 1
    world.food_offer.save()
    other = make_request(world, quantity=1)
    services.match_accept(request=other, volunteer=world.volunteer, offer=world.food_offer)
    request = make_request(world)
    assert engine.suggestions_for(request) == []


def test_a_recurring_offer_counts_its_capacity_per_period(world: AidWorld) -> None:
    weekly = AidOfferFactory.create(
        community=world.community,
        volunteer=make_membership(world.community, name="Wes"),
        kind="recurring",
        capacity=1,
        period="week",
    )
    first = make_request(world, quantity=1)
    services.match_accept(request=first, volunteer=weekly.volunteer, offer=weekly)
    pool = engine.available_offers(world.community, now=first.created_at)
    offers = {o.id: o for o in pool.offers}
    assert offers[str(weekly.pk)].capacity == 0


def test_assign_all_covers_every_open_request_it_can_and_says_why_not(world: AidWorld) -> None:
    food = make_request(world, quantity=1)
    lift = make_request(world, category="transport", quantity=1, description="A lift")
    legal = make_request(world, category="legal", quantity=1, description="A letter")
    plan = engine.assign_all_open(world.community)
    pairs = {(p.request.code, p.offer.pk) for p in plan.proposals}
    assert pairs == {(food.code, world.food_offer.pk), (lift.code, world.transport_offer.pk)}
    assert [(r.code, why.code) for r, why in plan.unmatched] == [(legal.code, "none_category")]
    assert [render(why) for _r, why in plan.unmatched] == ["no one offers legal"]
    assert not AidMatch.objects.exists()  # nothing written until reviewed


def test_confirming_a_batch_proposes_each_pair_and_reports_the_ones_now_impossible(world: AidWorld) -> None:
    food = make_request(world, quantity=1)
    lift = make_request(world, category="transport", quantity=1, description="A lift")
    plan = engine.assign_all_open(world.community)
    # Meanwhile someone takes the lift themselves.
    services.match_accept(request=lift, volunteer=make_membership(world.community))
    made, failed = engine.batch_propose(
        community=world.community,
        pairs=[(p.request.code, p.offer.pk) for p in plan.proposals],
        by=world.dispatcher,
    )
    assert [m.request.code for m in made] == [food.code]
    assert made[0].status == AidMatch.Status.PROPOSED
    # Stored as codes, not as an English sentence, and worded when read.
    assert made[0].reasons[0] == {"code": "same_neighbourhood", "params": {}}
    assert made[0].explanation == "" and "same neighbourhood" in made[0].explanation_text
    assert [code for code, _why in failed] == [lift.code]


def test_an_unknown_neighbourhood_is_simply_far_from_everything(world: AidWorld) -> None:
    services.aid_settings_update(community=world.community, by=world.coordinator, distances=[])
    request = make_request(world, neighbourhood="Nowhere")
    assert engine.suggestions_for(request) == []
    same = make_request(world, neighbourhood="riverside")  # names match whatever the case
    assert [s.offer for s in engine.suggestions_for(same)] == [world.food_offer]


def test_suggestions_follow_changes_to_offers_at_once(world: AidWorld) -> None:
    request = make_request(world)
    assert [s.offer for s in engine.suggestions_for(request)] == [world.food_offer]
    services.offer_set_status(offer=world.food_offer, status="paused", by=world.volunteer)
    assert engine.suggestions_for(request) == []
    services.offer_set_status(offer=world.food_offer, status="active", by=world.volunteer)
    newcomer = AidOfferFactory.create(
        community=world.community, volunteer=make_membership(world.community, name="Nia")
    )
    assert {s.offer for s in engine.suggestions_for(request)} == {world.food_offer, newcomer}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_the_shared_offer_index_is_reused_until_something_changes(world: AidWorld) -> None:
    # Outside a transaction (as in a page view) the prepared index is kept between calls.
    engine._INDEXES.clear()
    request = make_request(world)
    assert [s.offer for s in engine.suggestions_for(request)] == [world.food_offer]
    first = engine._INDEXES[world.community.pk]
    assert [s.offer for s in engine.suggestions_for(request)] == [world.food_offer]
    assert engine._INDEXES[world.community.pk] is first  # reused
    services.offer_set_status(offer=world.food_offer, status="paused", by=world.volunteer)
    assert engine.suggestions_for(request) == []
    assert engine._INDEXES[world.community.pk] is not first  # rebuilt after the change
    services.offer_set_status(offer=world.food_offer, status="active", by=world.volunteer)
    other = make_request(world, quantity=1)
    services.match_accept(request=other, volunteer=world.volunteer, offer=world.food_offer)
    found = engine.suggestions_for(request)
    assert found[0].offer == world.food_offer and "has capacity for 2 more" in found[0].explanation
