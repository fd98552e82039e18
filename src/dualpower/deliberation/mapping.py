"""The opinion map of a deliberation: votes read from the database, mapped by core/opinions
(Polis' method), stored as what the pages show.

Stored on the deliberation (``opinion_map``, JSON), so a page reads one row and never waits for a
computation:

- ``groups``: per opinion group its size, its representative statements (numbers, agree or
  disagree, the share of the group) and its points on the map;
- ``consensus``: statements most of every group agrees (or disagrees) with;
- ``points``: the map's base clusters (Polis' small clusters of like-minded participants) as
  (x, y) in 0..1, how many people each holds and their group — never a single person's place
  unless a cluster holds one person;
- ``state``: what the next computation starts from (the components, the clusters' centres and
  the smoothing of the number of groups between updates, as Polis keeps them).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone

from dualpower.core.opinions import KSmoother, OpinionMap, Votes, opinion_map
from dualpower.deliberation import publishing, selectors
from dualpower.deliberation.models import Deliberation

REPRESENTATIVE_SHOWN = 5
CONSENSUS_SHOWN = 8


# What the next computation reads of the last map (core/opinions/engine.py's ``previous``).
STATE_FIELDS = (
    "participant_ids",
    "statement_ids",
    "in_conversation",
    "components",
    "base_centers",
    "base_members",
    "labels_by_k",
    "k_smoother",
)


def _plain(value: Any) -> Any:
    """A field of the map as JSON: arrays as {"a": list, "dtype": ...}, dicts keyed by text."""
    if isinstance(value, np.ndarray):
        return {"a": value.tolist(), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, KSmoother):
        return {"k": [value.last_k, value.last_k_count, value.smoothed_k]}
    if isinstance(value, dict):
        return {"d": {str(k): _plain(v) for k, v in value.items()}}
    if isinstance(value, tuple):
        return list(value)
    return value


def _unplain(value: Any) -> Any:
    if isinstance(value, dict) and "a" in value:
        return np.asarray(value["a"], dtype=value["dtype"]).reshape(value["shape"])
    if isinstance(value, dict) and "k" in value:
        last_k, count, smoothed = value["k"]
        return KSmoother(last_k=last_k, last_k_count=count, smoothed_k=smoothed)
    if isinstance(value, dict) and "d" in value:
        return {int(k): _unplain(v) for k, v in value["d"].items()}
    if isinstance(value, list):
        return tuple(value)
    return value


def _state(found: OpinionMap) -> dict[str, Any]:
    return {name: _plain(getattr(found, name)) for name in STATE_FIELDS if hasattr(found, name)}


def _previous(state: dict[str, Any] | None) -> OpinionMap | None:
    """The last map, as much of it as the next computation starts from (the rest left empty)."""
    if not state or any(name not in state for name in STATE_FIELDS):
        return None  # nothing stored, or stored by an older version: start afresh
    kept = {name: _unplain(state[name]) for name in STATE_FIELDS}
    empty: dict[str, Any] = {}
    for spec in dataclasses.fields(OpinionMap):
        if (
            spec.name in kept
            or spec.default is not dataclasses.MISSING
            or spec.default_factory is not dataclasses.MISSING
        ):
            continue
        empty[spec.name] = _EMPTY.get(spec.name, np.zeros(0))
    return OpinionMap(**kept, **empty)


_EMPTY: dict[str, Any] = {
    "groups": (),
    "repness": (),
    "group_votes": {},
    "consensus": (),
    "group_aware_consensus": {},
    "silhouettes": {},
}


def _scaled(points: np.ndarray) -> np.ndarray:
    """Points into 0..1 on both axes (the same scale on both, centred), for drawing."""
    if len(points) == 0:
        return points
    low, high = points.min(axis=0), points.max(axis=0)
    span = float(max((high - low).max(), 1e-9))
    middle = (low + high) / 2
    return np.round((points - middle) / span + 0.5, 4)


def shown(found: OpinionMap) -> dict[str, Any]:
    """What the pages show of a map (everything by statement number and group number)."""
    base_ids, counts = np.unique(found.base_members[found.base_members >= 0], return_counts=True)
    points: list[list[Any]] = []
    if len(base_ids):
        where = _scaled(np.asarray(found.base_centers)[base_ids])
        for (x, y), base, count in zip(where.tolist(), base_ids.tolist(), counts.tolist(), strict=True):
            members = found.group[found.base_members == base]
            points.append([x, y, int(count), int(np.bincount(members[members >= 0]).argmax())])
    groups = []
    for number, members in enumerate(found.groups):
        representative = [
            {
                "statement": int(rep.statement_id),
                "direction": rep.repful_for,
                "percent": round(100 * rep.n_success / rep.n_trials) if rep.n_trials else 0,
                "seen": rep.n_trials,
            }
            # Shown only where most of the group holds it: a statement can set a group apart by a
            # minority's view, which would read as the group's own on a phone.
            for rep in found.repness[number]
            if rep.n_trials and 2 * rep.n_success > rep.n_trials
        ][:REPRESENTATIVE_SHOWN]
        groups.append({"number": number + 1, "size": len(members), "representative": representative})
    consensus = [
        {
            "statement": int(c.statement_id),
            "direction": c.direction,
            "percent_by_group": [round(100 * p) for p in c.per_group],
        }
        for c in found.consensus[:CONSENSUS_SHOWN]
    ]
    return {
        "participants": len(found.participant_ids),
        "mapped": int((found.group >= 0).sum()),
        "groups": groups,
        "consensus": consensus,
        "points": points,
    }


# A job computes again while votes keep arriving, up to this many times; then the next vote's job
# (or the clock) carries on.
ROUNDS = 5


def map_refresh(*, deliberation_id: int) -> int:
    """Compute and store the map until it has caught up with the votes (at most ``ROUNDS`` times);
    returns the votes the last stored map saw, 0 when nothing was due."""
    seen = 0
    for _round in range(ROUNDS):
        counted = _refresh_once(deliberation_id)
        if counted == 0:
            break
        seen = counted
    return seen


def _refresh_once(deliberation_id: int) -> int:
    """Compute and store the map if votes or moderation changed since the stored one."""
    deliberation = Deliberation.objects.filter(pk=deliberation_id).first()
    if deliberation is None or deliberation.map_votes >= deliberation.votes_seen:
        return 0
    seen = deliberation.votes_seen  # read before the votes: anything later is the next map's
    triples = selectors.votes_for_map(deliberation=deliberation)
    out = {str(n) for n in selectors.moderated_out(deliberation=deliberation)}
    previous = _previous((deliberation.opinion_map or {}).get("state"))
    stored: dict[str, Any]
    if triples:
        votes = Votes.from_triples([(str(p), str(s), v) for p, s, v in triples], moderated_out=out)
        found = opinion_map(votes, previous=previous)
        stored = {**shown(found), "state": _state(found)}
    else:
        stored = {"participants": 0, "mapped": 0, "groups": [], "consensus": [], "points": []}
    with transaction.atomic():
        # Only ever forward: a slower computation that started earlier never overwrites a newer map.
        stored_now = Deliberation.objects.filter(pk=deliberation_id, map_votes__lt=seen).update(
            opinion_map=stored, map_votes=seen, map_computed_at=timezone.now()
        )
    if stored_now and deliberation.peers_open:
        publishing.map_sync_due(deliberation_id=deliberation_id)
    return seen
