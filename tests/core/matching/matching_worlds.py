"""Random mutual aid worlds for the matching tests and bench/bench_matching.py (fixed seeds)."""

from __future__ import annotations

import random

from dualpower.core.matching import Distances, Need, Offer, OfferKind, TimeWindow, Urgency

CATEGORIES = ("food", "transport", "childcare", "elder care", "legal support", "housing and shelter")
SKILLS = ("driving", "cooking", "lifting", "first aid", "translation", "paperwork", "childminding")
LANGUAGES = ("English", "Spanish", "Somali", "Arabic", "Polish")


def grid_distances(side: int) -> Distances:
    """A side × side grid of neighbourhoods, 1.5 km between neighbours (the table is completed)."""
    pairs: dict[tuple[str, str], float] = {}
    for x in range(side):
        for y in range(side):
            if x + 1 < side:
                pairs[f"n{x}-{y}", f"n{x + 1}-{y}"] = 1.5
            if y + 1 < side:
                pairs[f"n{x}-{y}", f"n{x}-{y + 1}"] = 1.5
    return Distances.of(pairs)


def _windows(rng: random.Random, most: int) -> tuple[TimeWindow, ...]:
    out = []
    for _ in range(rng.randint(0, most)):
        day, hour = rng.randrange(7), rng.randrange(6, 21)
        out.append(TimeWindow(day * 1440 + hour * 60, day * 1440 + (hour + rng.randint(1, 4)) * 60))
    return tuple(out)


def random_need(rng: random.Random, i: int, neighbourhoods: tuple[str, ...], cats: int = 6) -> Need:
    langs = tuple(rng.sample(LANGUAGES, rng.randint(0, 2)))
    return Need(
        id=f"need-{i:06d}",
        category=rng.choice(CATEGORIES[:cats]),
        neighbourhood=rng.choice(neighbourhoods),
        skills=tuple(rng.sample(SKILLS, rng.randint(0, 2))),
        windows=_windows(rng, 2),
        languages=langs,
        language_required=bool(langs) and rng.random() < 0.3,
        urgency=Urgency(rng.randrange(4)),
        quantity=rng.randint(1, 3),
    )


def random_offer(
    rng: random.Random, i: int, neighbourhoods: tuple[str, ...], cats: int = 6, endless: float = 0.03
) -> Offer:
    """Half one-off (capacity 0-1), a share ``endless`` inexhaustible, the rest recurring (0-4)."""
    roll = rng.random()
    if roll < 0.5:
        kind = OfferKind.ONE_OFF
    elif roll < 1 - endless:
        kind = OfferKind.RECURRING
    else:
        kind = OfferKind.INEXHAUSTIBLE
    capacity = None if kind is OfferKind.INEXHAUSTIBLE else rng.randint(0, 1 if roll < 0.5 else 4)
    return Offer(
        id=f"offer-{i:06d}",
        categories=tuple(rng.sample(CATEGORIES[:cats], rng.randint(1, 2))),
        neighbourhood=rng.choice(neighbourhoods),
        skills=tuple(rng.sample(SKILLS, rng.randint(0, 3))),
        windows=_windows(rng, 4),
        languages=tuple(rng.sample(LANGUAGES, rng.randint(1, 2))),
        capacity=capacity,
        kind=kind,
    )


def random_world(
    needs: int, offers: int, *, seed: int, side: int = 6, cats: int = 6, endless: float = 0.03
) -> tuple[list[Need], list[Offer], Distances]:
    """``endless`` is the share of inexhaustible offers (0 makes capacity scarce)."""
    rng = random.Random(seed)
    distances = grid_distances(side)
    names = distances.neighbourhoods
    return (
        [random_need(rng, i, names, cats) for i in range(needs)],
        [random_offer(rng, i, names, cats, endless) for i in range(offers)],
        distances,
    )
