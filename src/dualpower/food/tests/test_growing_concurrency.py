"""Two people log a harvest against one planting at the same moment: both logs are kept and the
planting's total is their sum (nothing is read and written back); two take the last of a seed
lot at once: the library never lends more than it holds."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import OperationalError, connection

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401 - a fixture
from dualpower.errors import Conflict
from dualpower.food.models.growing import Log, Planting, SeedLot
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import make_crop, make_planting, make_plot, make_site, member
from dualpower.members.models import Membership


def _at_once(work: Callable[[int], None], ids: list[int]) -> list[str]:
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]  # SQLite only
    barrier = threading.Barrier(len(ids), timeout=10)
    outcomes: list[str] = []

    def run(pk: int) -> None:
        try:
            barrier.wait()
            work(pk)
            outcomes.append("done")
        except Conflict:
            outcomes.append("told")
        except OperationalError as exc:
            outcomes.append("locked" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_two_people_logging_one_planting_at_once_are_both_kept(
    community: Any, people: dict[str, Any]
) -> None:
    steward, gardener = member(people, "member", community), member(people, "coordinator", community)
    plot = make_plot(make_site(community), steward=steward, gardeners=(gardener,))
    planting = make_planting(
        plot, make_crop(community, "Kale"), seeded=dt.date.today() - dt.timedelta(days=70)
    )

    def pick(pk: int) -> None:
        services.harvest_log(
            planting=Planting.objects.get(pk=planting.pk), quantity="2.5", by=Membership.objects.get(pk=pk)
        )

    outcomes = _at_once(pick, [steward.pk, gardener.pk])
    if connection.vendor == "sqlite" and "locked" in outcomes:
        pytest.xfail("the in-memory SQLite test database refuses a second writer; PostgreSQL runs this")
    assert outcomes == ["done", "done"]
    assert Log.objects.filter(planting=planting, kind=Log.Kind.HARVEST).count() == 2
    assert selectors.planting_get(community=community, pk=planting.pk).harvested == Decimal(5)  # type: ignore[attr-defined]
    assert Planting.objects.get(pk=planting.pk).status == Planting.Status.GROWING


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_two_taking_the_last_seed_at_once_never_overdraw_the_lot(
    community: Any, people: dict[str, Any]
) -> None:
    lot = services.seed_lot_create(community=community, variety="Lacinato", quantity="10", by=None)
    takers = [member(people, "member", community).pk, member(people, "coordinator", community).pk]

    def take(pk: int) -> None:
        who = Membership.objects.get(pk=pk)
        services.seed_lend(lot=SeedLot.objects.get(pk=lot.pk), borrower=who, quantity="6", by=who)

    outcomes = _at_once(take, takers)
    if connection.vendor == "sqlite" and "locked" in outcomes:
        pytest.xfail("the in-memory SQLite test database refuses a second writer; PostgreSQL runs this")
    assert sorted(outcomes) == ["done", "told"]
    assert SeedLot.objects.get(pk=lot.pk).quantity == Decimal(4)
