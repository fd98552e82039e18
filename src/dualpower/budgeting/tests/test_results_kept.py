"""The results page keeps each area's section per process (views/results.py: _area_html), keyed by
the stored count and what it shows: the same HTML as rendered afresh, and other HTML as soon as a
recount, a renamed proposal or another language changes it (issue 21)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.budgeting import services
from dualpower.budgeting.models import Proposal
from dualpower.budgeting.tests.test_views import _counted, url
from dualpower.budgeting.views import results as results_view

pytestmark = pytest.mark.django_db


def _untokened(html: str) -> str:
    return re.sub(r'(value|content)="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"', "", html)


def test_a_kept_area_is_what_a_fresh_rendering_gives_and_changes_with_what_it_shows(
    client: Any, community: Any
) -> None:
    cycle, voter = _counted(community)
    services.cycle_advance(cycle=cycle, by=None)
    client.force_login(voter.user)
    results_view._areas.clear()
    fresh = client.get(url(cycle, "results/")).content.decode()
    assert len(results_view._areas) == 1
    kept = client.get(url(cycle, "results/")).content.decode()
    assert _untokened(kept) == _untokened(fresh)  # tokens aside, the same page
    assert "Food bank" in kept and "How the count went, step by step" in kept
    # A renamed proposal: another key, the new title shown.
    Proposal.objects.filter(cycle=cycle, title="Food bank").update(title="Community pantry")
    renamed = client.get(url(cycle, "results/")).content.decode()
    assert "Community pantry" in renamed and "Food bank" not in renamed
    # A recount stores another result (another id): its own section.
    services.cycle_count(cycle=cycle, by=None)
    result = cycle.results.get()
    recounted = client.get(url(cycle, "results/")).content.decode()
    assert result.ballot_file_sha256 in recounted
    # Another language: its own section, translated.
    spanish = client.get(url(cycle, "results/"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Votos en línea" in spanish or "línea" in spanish
    assert len(results_view._areas) == 4
