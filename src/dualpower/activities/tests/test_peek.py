import datetime as dt
import pytest
from dualpower.activities import trust
from dualpower.activities.models import Series
pytestmark = pytest.mark.django_db

def test_peek(client_as, community, everyone):
    role = trust.trust_role_create(community=community, name="Accompanier", by=None)
    data = {
        "title": "Sat", "place": "Church hall", "group": "", "repeat": "weekly", "weekdays": ["5"],
        "month_day": "", "ends_on": "", "description": "",
        "starts_on": (dt.date.today() + dt.timedelta(days=1)).isoformat(), "start_time": "10:00", "duration_minutes": "120",
        "slots-TOTAL_FORMS": "4", "slots-INITIAL_FORMS": "0", "slots-MIN_NUM_FORMS": "0", "slots-MAX_NUM_FORMS": "12",
        "slots-0-label": "Drivers", "slots-0-capacity": "2", "slots-0-required_role": "",
        "slots-1-label": "Accompaniers", "slots-1-capacity": "1", "slots-1-required_role": str(role.pk),
        "slots-2-label": "", "slots-2-capacity": "", "slots-2-required_role": "",
        "slots-3-label": "", "slots-3-capacity": "", "slots-3-required_role": "",
    }
    r = client_as("coordinator").post("/c/riverside/activities/series/new/", data)
    import re
    print(re.findall(r'role="alert">(.*?)</div>', r.content.decode(), re.S))
    assert r.status_code == 302
