"""Build a land trust for tests: a parcel, homes, a lease, households on the waitlist."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from dualpower.land import services
from dualpower.land.models import GroundLease, Home, WaitlistApplication
from dualpower.members.tests.factories import CommunityFactory, MembershipFactory

APPRAISAL = {"purchase_price": 15_000_000, "initial_appraisal": 20_000_000, "owner_share": "1/4"}


class HomeFactory(DjangoModelFactory[Home]):
    """A home on a parcel of its own, both made through the services."""

    class Meta:
        model = Home

    class Params:
        community = None

    by = None
    label = "Elm Row 1"
    address = factory.LazyAttribute(lambda o: f"{o.label}, Elm Row")
    parcel = factory.LazyAttribute(
        lambda o: services.parcel_create(
            community=o.community or CommunityFactory.create(),
            name=f"{o.label} parcel",
            address="1 Elm Row",
            by=o.by,
        )
    )

    @classmethod
    def _create(cls, model_class: type[Home], *args: Any, **kwargs: Any) -> Home:
        return services.home_create(**kwargs)


class GroundLeaseFactory(DjangoModelFactory[GroundLease]):
    """A ground lease from 1 May 2020 at 25.00 a month, resale by appraisal (``APPRAISAL``)."""

    class Meta:
        model = GroundLease

    home = factory.SubFactory(HomeFactory)
    leaseholder = factory.LazyAttribute(lambda o: MembershipFactory.create(community=o.home.community))
    by = None
    start = date(2020, 5, 1)
    monthly_fee = 2500
    formula = "appraisal_based"
    formula_params = factory.LazyFunction(lambda: dict(APPRAISAL))

    @classmethod
    def _create(cls, model_class: type[GroundLease], *args: Any, **kwargs: Any) -> GroundLease:
        return services.lease_create(**kwargs)


class WaitlistApplicationFactory(DjangoModelFactory[WaitlistApplication]):
    """A household of ``size`` on the waitlist (``waitlist_apply``), ``years_ago`` years back,
    with the priority facts ``local`` and ``displaced``."""

    class Meta:
        model = WaitlistApplication

    class Params:
        size = 2
        years_ago = 0
        local = 0
        displaced = 0

    community = factory.SubFactory(CommunityFactory)
    membership = factory.LazyAttribute(lambda o: MembershipFactory.create(community=o.community))
    household_size = factory.SelfAttribute("size")
    facts = factory.LazyAttribute(lambda o: {"lives_or_works_locally": o.local, "displaced": o.displaced})
    applied_years_ago = factory.SelfAttribute("years_ago")

    @classmethod
    def _create(
        cls, model_class: type[WaitlistApplication], *args: Any, **kwargs: Any
    ) -> WaitlistApplication:
        years_ago = kwargs.pop("applied_years_ago")
        application = services.waitlist_apply(**kwargs)
        if years_ago:
            WaitlistApplication.objects.filter(pk=application.pk).update(
                applied_at=timezone.now() - timedelta(days=366 * years_ago)
            )
            application.refresh_from_db()
        return application
