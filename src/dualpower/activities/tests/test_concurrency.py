"""Two people taking the last place at once: one gets it, the other is told it is full; a place
taken while the schedule changes is never lost."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from dualpower.activities import services
from dualpower.activities.models import SignUp, Slot
from dualpower.activities.tests.factories import SeriesFactory, first_activity, slot_of
from dualpower.errors import Conflict
from dualpower.members.tests.factories import make_membership


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_the_last_place_goes_to_one_person(community: Any) -> None:
    make_membership(community, role="coordinator")
    series = SeriesFactory.create(community=community, slots=[("Interpreter", 1)])
    slot = slot_of(first_activity(series), "Interpreter")
    people = [make_membership(community) for _ in range(2)]
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def take(person: Any) -> None:
        try:
            barrier.wait()
            services.slot_sign_up(slot=slot, membership=person)
            outcomes.append("taken")
        except Conflict as exc:
            outcomes.append("full" if "taken" in exc.detail else f"conflict: {exc.detail}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["full", "taken"]
    assert Slot.objects.get(pk=slot.pk).taken == 1
    assert SignUp.objects.filter(slot=slot).count() == 1


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_a_double_click_takes_one_place(community: Any) -> None:
    make_membership(community, role="coordinator")
    series = SeriesFactory.create(community=community, slots=[("Packers", 5)])
    slot = slot_of(first_activity(series), "Packers")
    person = make_membership(community)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def take() -> None:
        try:
            barrier.wait()
            services.slot_sign_up(slot=slot, membership=person)
            outcomes.append("taken")
        except Conflict:
            outcomes.append("conflict")
        except Exception as exc:
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "taken"]
    assert Slot.objects.get(pk=slot.pk).taken == 1
    assert SignUp.objects.filter(membership=person).count() == 1


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_a_place_taken_while_the_schedule_changes_is_never_lost(community: Any) -> None:
    from django.core.exceptions import ObjectDoesNotExist

    from dualpower.activities import services
    from dualpower.activities.models import Activity
    from dualpower.errors import DomainError

    make_membership(community, role="coordinator")
    series = SeriesFactory.create(
        community=community, repeat="weekly", weekdays=[0, 1, 2, 3, 4, 5, 6], in_days=1
    )
    activity = first_activity(series)
    slot = slot_of(activity)
    person = make_membership(community)
    # The new time makes every coming date unfit: empty ones go, one with a place must stay.
    new_time = (timezone.localtime(activity.starts_at) + dt.timedelta(hours=3)).time()
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, str] = {}

    def take() -> None:
        try:
            barrier.wait()
            services.slot_sign_up(slot=slot, membership=person)
            outcomes["sign_up"] = "taken"
        except (DomainError, ObjectDoesNotExist):
            outcomes["sign_up"] = "refused"
        except Exception as exc:
            outcomes["sign_up"] = f"error: {exc!r}"
        finally:
            connection.close()

    def reschedule() -> None:
        try:
            barrier.wait()
            services.series_reschedule(series=series, by=None, start_time=new_time)
            outcomes["reschedule"] = "done"
        except Exception as exc:
            outcomes["reschedule"] = f"error: {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=take), threading.Thread(target=reschedule)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes["reschedule"] == "done" and outcomes["sign_up"] in {"taken", "refused"}
    if outcomes["sign_up"] == "taken":
        # The place was given: its date was kept, with the place in it.
        assert SignUp.objects.filter(activity=activity, membership=person).exists()
        assert Activity.objects.get(pk=activity.pk).starts_at == activity.starts_at
    else:
        assert not Activity.objects.filter(pk=activity.pk).exists()
        assert not SignUp.objects.filter(membership=person).exists()
