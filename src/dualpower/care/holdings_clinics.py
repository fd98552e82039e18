"""What the clinics' part of the care app holds about a community, for the page "What a seizure
would reveal" (``dualpower.holdings``). Not registered yet: registering makes every table of the
care app need a holding (care-circles' too), so ``care/registrations.py`` registers it together
with the circles' description (``holdings.register("care.clinics", describe, ...)``).

Every count is read from the tables now; nothing here is sealed: the clinics keep nothing that
would need it (no names, no clinical words)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import holdings
from dualpower.care.models.clinics import (
    CareRota,
    ClinicDay,
    ClinicWeek,
    CrisisCall,
    CrisisTally,
    QueueEntry,
    Referral,
    ScreeningCount,
    Station,
    WarmLineCall,
)
from dualpower.community.models import Community

_DAY_OF = "day_id IN (SELECT id FROM care_clinicday WHERE community_id = {community})"


def describe(community: Community) -> list[holdings.Holding]:
    days = ClinicDay.objects.filter(community=community)
    return [
        holdings.Holding(
            what=_("Clinic days"),
            count=days.count(),
            sealed_with=None,
            readable_by_server_holder=_("Each day's site and date, and how many people came"),
            erased_when=_("never: a day is a public event"),
            table=ClinicDay._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Clinic stations"),
            count=Station.objects.filter(day__community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("The stations of each day, in order"),
            erased_when=_("never"),
            table=Station._meta.db_table,
            rows_where=_DAY_OF,
        ),
        holdings.Holding(
            what=_("Today's clinic queue"),
            count=QueueEntry.objects.filter(day__community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_(
                "A three-character code per person, the station they are at and the times: no name"
            ),
            erased_when=_("when the day is closed, or the morning after"),
            table=QueueEntry._meta.db_table,
            rows_where=_DAY_OF,
        ),
        holdings.Holding(
            what=_("Clinic counts by week"),
            count=ClinicWeek.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("People seen per week"),
            erased_when=_("never: they are counts"),
            table=ClinicWeek._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Screening counts"),
            count=ScreeningCount.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("Screenings per week by kind, and how many were positive"),
            erased_when=_("never: they are counts"),
            table=ScreeningCount._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Referral directory"),
            count=Referral.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("Outside services' public details: never who was referred"),
            erased_when=_("when the health group removes an entry"),
            table=Referral._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Warm-line call log"),
            count=WarmLineCall.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("When each call started (to the minute), its length and a topic tag"),
            erased_when=_("never: there is nothing of the caller in it"),
            table=WarmLineCall._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Crisis calls"),
            count=CrisisCall.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_(
                "Each call's code, situation category, rough place, the pair sent, times and outcome "
                "category: never the person's name or address"
            ),
            erased_when=_(
                "once closed and the community's care retention has passed (30 days unless changed): "
                "reduced to counts by week and outcome"
            ),
            table=CrisisCall._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Crisis call counts by week"),
            count=CrisisTally.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("How many crisis calls closed in a week, by outcome category"),
            erased_when=_("never: counts only"),
            table=CrisisTally._meta.db_table,
            community_column="community_id",
        ),
        holdings.Holding(
            what=_("Care rotas"),
            count=CareRota.objects.filter(community=community).count(),
            sealed_with=None,
            readable_by_server_holder=_("Which activity staffs the warm line and the crisis team"),
            erased_when=_("never"),
            table=CareRota._meta.db_table,
            community_column="community_id",
        ),
    ]
