"""The ten most used pages on a phone (issue 13), picked from the demo community's rows.

One list for bench/bench_phone.py (bytes, first paint and Lighthouse on a throttled line) and for
tests/test_page_weight.py (what each page makes a phone download and run). Needs Django set up
and the demo loaded (``dualpower demo`` or ``dualpower.ops.demo.demo_load``).
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse


def phone_pages() -> list[tuple[str, str]]:
    """(label, path) of the ten pages, as the demo's coordinator reaches them."""
    from dualpower.aid.models import AidRequest
    from dualpower.assemblies.models import Proposal
    from dualpower.budgeting.models import Cycle
    from dualpower.community.models import Community
    from dualpower.demo import COORDINATOR_EMAIL
    from dualpower.ledger.models import Account

    community = Community.objects.get(slug="demo")
    c = {"community": community.slug}
    proposal = (
        Proposal.objects.filter(assembly__community=community)
        .annotate(n=Count("votes"))
        .order_by("-n", "pk")
        .select_related("assembly")
        .first()
    )
    request = AidRequest.objects.filter(community=community).order_by("pk").first()
    cycle = (
        Cycle.objects.filter(community=community).annotate(n=Count("results")).order_by("-n", "pk").first()
    )
    account = (
        Account.objects.filter(community=community, membership__user__email=COORDINATOR_EMAIL)
        .select_related("currency")
        .annotate(n=Count("debits", distinct=True) + Count("credits", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    assert proposal and request and cycle and account, "the demo lacks a page's rows"
    return [
        ("dashboard", reverse("community-dashboard", kwargs=c)),
        ("assemblies", reverse("assemblies:list", kwargs=c)),
        (
            "a proposal",
            reverse(
                "assemblies:proposal", kwargs={**c, "assembly": proposal.assembly.slug, "pk": proposal.pk}
            ),
        ),
        ("aid list", reverse("aid:list", kwargs=c)),
        ("an aid request", reverse("aid:request_detail", kwargs={**c, "code": request.code})),
        ("pay", reverse("ledger:pay", kwargs={**c, "code": account.currency.code})),
        ("a statement", reverse("ledger:statement", kwargs={**c, "pk": account.pk})),
        ("budgeting results", reverse("budgeting:results", kwargs={**c, "cycle": cycle.slug})),
        ("meetings", reverse("meetings:list", kwargs=c)),
        ("notifications", reverse("notifications:list")),
    ]


def main_pages() -> list[tuple[str, str]]:
    """(label, path) of issue 21's main pages and API lists, on the demo's rows with the most in
    them: what bench/bench_pages.py measures and tests/test_page_weight.py weighs."""
    from dualpower.assemblies.models import Assembly, Proposal
    from dualpower.budgeting.models import Cycle
    from dualpower.community.models import Community
    from dualpower.coops.models import Cooperative
    from dualpower.demo import COORDINATOR_EMAIL
    from dualpower.ledger.models import Account
    from dualpower.meetings.models import Meeting

    community = Community.objects.get(slug="demo")
    c = {"community": community.slug}
    assembly = (
        Assembly.objects.filter(community=community)
        .annotate(n=Count("proposals"))
        .order_by("-n", "pk")
        .first()
    )
    assert assembly is not None
    proposal = (
        Proposal.objects.filter(assembly=assembly).annotate(n=Count("votes")).order_by("-n", "pk").first()
    )
    assert proposal is not None
    meeting = (
        Meeting.objects.filter(assembly__community=community)
        .annotate(n=Count("items"))
        .order_by("-n", "pk")
        .first()
    )
    assert meeting is not None
    cycle = (
        Cycle.objects.filter(community=community).annotate(n=Count("results")).order_by("-n", "pk").first()
    )
    assert cycle is not None
    # The coordinator's own account with the most transfers (a statement is its holder's page).
    account = (
        Account.objects.filter(community=community, membership__user__email=COORDINATOR_EMAIL)
        .annotate(n=Count("debits", distinct=True) + Count("credits", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    assert account is not None
    coop = Cooperative.objects.filter(community=community).order_by("pk").first()
    assert coop is not None
    api = "/api/v1/communities/demo"
    return [
        ("community dashboard", reverse("community-dashboard", kwargs=c)),
        ("assembly", reverse("assemblies:detail", kwargs={**c, "assembly": assembly.slug})),
        (
            "proposal",
            reverse("assemblies:proposal", kwargs={**c, "assembly": assembly.slug, "pk": proposal.pk}),
        ),
        ("meeting", reverse("meetings:detail", kwargs={**c, "pk": meeting.pk})),
        ("budgeting cycle", reverse("budgeting:detail", kwargs={**c, "cycle": cycle.slug})),
        ("budgeting results", reverse("budgeting:results", kwargs={**c, "cycle": cycle.slug})),
        ("mutual aid list", reverse("aid:list", kwargs=c)),
        ("aid dispatch", reverse("aid:dispatch", kwargs=c)),
        ("activities", reverse("activities:list", kwargs=c)),
        ("ledger statement", reverse("ledger:statement", kwargs={**c, "pk": account.pk})),
        ("co-op", reverse("coops:detail", kwargs={**c, "coop": coop.slug})),
        ("land (homes)", reverse("land:homes", kwargs=c)),
        ("members", reverse("members:list", kwargs=c)),
        ("audit log", reverse("community-audit", kwargs=c)),
        ("API members", f"{api}/members"),
        ("API proposals", f"{api}/assemblies/{assembly.slug}/proposals"),
        ("API aid requests", f"{api}/aid/requests"),
        ("API activities", f"{api}/activities"),
    ]
