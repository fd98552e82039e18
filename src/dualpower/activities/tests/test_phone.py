"""Phone-first and finishable (issue 13): cancelling an activity asks first on its page, saying
who is told; the places table says each column on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.activities import services
from dualpower.activities.tests.factories import first_activity, slot_of
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/activities"


def test_cancelling_an_activity_asks_first_and_says_who_is_told(client_as: Any, series: Any) -> None:
    activity = first_activity(series)
    services.slot_sign_up(slot=slot_of(activity), membership=make_membership(series.community))
    body = client_as("coordinator").get(f"{BASE}/{activity.pk}/").content.decode()
    start = body.index('<details class="confirm">')
    confirm = body[start : body.index("</details>", start)]
    assert "Cancel this activity…" in confirm
    assert "the 1 person with a place is told" in confirm
    assert 'class="danger"' in confirm and f"{BASE}/{activity.pk}/cancel/" in confirm
    assert 'data-label="Taken"' in body and "1 of " in body
