"""Matching engine for mutual aid (issue 6): rank offers for a need, and assign all needs at once.

Pure: frozen dataclasses in and out, numpy and scipy only, no Django. See docs/matching.md.
"""

from __future__ import annotations

from .assign import Assignment, Pair, Unmatched, assign_all, unmatched_cost
from .distances import Distances
from .explain import Reason, describe_window, render_english
from .index import HARD_CONSTRAINTS, OfferIndex
from .model import (
    DEFAULT_WEIGHTS,
    WEEK_MINUTES,
    Criteria,
    Helper,
    Need,
    Offer,
    OfferKind,
    TimeWindow,
    Urgency,
    Weights,
)
from .suggest import Suggestion, suggest

__all__ = [
    "DEFAULT_WEIGHTS",
    "HARD_CONSTRAINTS",
    "WEEK_MINUTES",
    "Assignment",
    "Criteria",
    "Distances",
    "Helper",
    "Need",
    "Offer",
    "OfferIndex",
    "OfferKind",
    "Pair",
    "Reason",
    "Suggestion",
    "TimeWindow",
    "Unmatched",
    "Urgency",
    "Weights",
    "assign_all",
    "describe_window",
    "render_english",
    "suggest",
    "unmatched_cost",
]
