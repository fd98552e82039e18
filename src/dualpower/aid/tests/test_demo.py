"""The demo's aid data: built through the services, deterministic, fast."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.urls import reverse

from dualpower.aid import crypto
from dualpower.aid.demo import load_aid
from dualpower.aid.models import AidOffer, AidRequest
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_and_fulfilled_requests_and_offers(settings: Any) -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _s: None)
    reverse("aid:list", args=[demo.community.slug])  # load the URL conf first: not the loader's cost
    load_aid(demo)
    requests = AidRequest.objects.filter(community=demo.community)
    assert requests.filter(status=AidRequest.Status.FULFILLED).count() == 4
    assert requests.filter(status=AidRequest.Status.OPEN).count() == 6
    assert len(set(requests.values_list("category", flat=True))) == 10
    assert AidOffer.objects.filter(community=demo.community, kind="inexhaustible").count() == 1
    phone = requests.filter(requester__isnull=True).first()
    assert phone is not None and crypto.unseal(phone.sealed)["name"].startswith("Caller")
