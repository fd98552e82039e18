"""Two verifiers on shift press at once — one verifies, the other calls it a false alarm: one wins,
the other is told (409), and the responders are alerted once or not at all, never twice."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import OperationalError, connection

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.defence.models.response import Incident, Response
from dualpower.defence.services import response_incidents as incidents
from dualpower.defence.tests.factories_response import grant, make_world, report, take_shift
from dualpower.errors import Conflict
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_verify_and_false_alarm_at_once_one_wins(
    community: Any, people: dict[str, Any], settings: Any
) -> None:
    settings.DP_AID_KEY = Fernet.generate_key().decode()
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]  # SQLite only
    world = make_world(community, people)
    second = make_membership(community, name="Wren")
    role = world.verifier_rota.slot_templates.get().required_role
    assert role is not None
    grant(role, second, world.coordinator)
    take_shift(world.verifier_rota, second, "Verifier")
    incident = report(world)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def act(verifier_id: int, step: str) -> None:
        try:
            verifier = Membership.objects.get(pk=verifier_id)
            fresh = Incident.objects.get(pk=incident.pk)
            barrier.wait()
            if step == "verify":
                incidents.incident_verify(incident=fresh, by=verifier)
            else:
                incidents.incident_false_alarm(incident=fresh, by=verifier)
            outcomes.append(f"won:{step}")
        except Conflict:
            outcomes.append("told")
        except OperationalError as exc:
            outcomes.append("told" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(world.verifier.pk, "verify")),
        threading.Thread(target=act, args=(second.pk, "false_alarm")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 2 and "told" in outcomes, outcomes
    won = next(o for o in outcomes if o.startswith("won:"))
    status = Incident.objects.get(pk=incident.pk).status
    alerted = Response.objects.filter(incident=incident).count()
    if won == "won:verify":
        assert (status, alerted) == ("verified", 2)
    else:
        assert (status, alerted) == ("false_alarm", 0)
