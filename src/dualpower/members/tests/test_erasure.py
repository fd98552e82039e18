"""Deleting an account: the person's name leaves the ledger's accounts and every page, API answer
and export that showed the audit log, while the log itself stays as it was written."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dualpower.community.models import AuditEntry, Community
from dualpower.ledger import services as ledger
from dualpower.ledger.models import Account
from dualpower.ledger.tests.factories import CurrencyFactory
from dualpower.members import services
from dualpower.members.models import AuditRedaction, Membership

pytestmark = pytest.mark.django_db
NAME = "Mara"


@pytest.fixture
def mara_leaves(community: Community, people: dict[str, Any]) -> dict[str, Any]:
    """Mara holds two accounts (one empty, one in credit), a role change and vouching on record;
    then she deletes her account."""
    mara = Membership.objects.get(user=people["member"], community=community)
    cato = Membership.objects.get(user=people["coordinator"], community=community)
    roots = CurrencyFactory.create(community=community)
    hours = CurrencyFactory.create(community=community, name="Hours", symbol="h")
    paying = ledger.member_account(currency=roots, membership=mara)
    empty = ledger.member_account(currency=hours, membership=mara)
    ledger.account_visibility_set(account=empty, balance_public=True, by=mara)
    ledger.transfer_make(
        debit=paying, credit=ledger.member_account(currency=roots, membership=cato), amount=1500, by=mara
    )
    services.role_change(membership=mara, role="coordinator", by=people["coordinator"], reason="Elected")
    stored = list(AuditEntry.objects.filter(summary__contains=NAME).values_list("pk", "summary"))
    assert len(stored) >= 4  # the accounts opened, the visibility, the role change
    services.account_delete(user=people["member"], confirm_email=people["member"].email)
    return {"membership": mara, "paying": paying, "empty": empty, "stored": stored, "roots": roots}


def test_the_accounts_are_renamed_and_the_empty_one_closed(mara_leaves: dict[str, Any]) -> None:
    number = mara_leaves["membership"].pk
    paying = Account.objects.get(pk=mara_leaves["paying"].pk)
    empty = Account.objects.get(pk=mara_leaves["empty"].pk)
    assert paying.name == empty.name == f"Former member #{number}"
    assert paying.is_open and paying.balance == -1500  # the ledger still sums
    assert not empty.is_open and empty.closed_at is not None
    assert not Account.objects.filter(name__contains=NAME).exists()


def test_the_audit_log_keeps_its_words_but_shows_none_of_the_name(mara_leaves: dict[str, Any]) -> None:
    # Append-only: what was written stays as written (and is still there for the operator)...
    assert (
        list(AuditEntry.objects.filter(summary__contains=NAME).values_list("pk", "summary"))
        == (mara_leaves["stored"])
    )
    # ... and each entry naming her has the words readers see instead.
    redacted = AuditRedaction.objects.filter(entry_id__in=[pk for pk, _ in mara_leaves["stored"]])
    assert redacted.count() == len(mara_leaves["stored"])
    assert all(NAME not in r.summary and "former member" in r.summary for r in redacted)


def test_no_page_or_api_answer_shows_the_name(
    mara_leaves: dict[str, Any], client_for: Any, people: dict[str, Any]
) -> None:
    coordinator = client_for("coordinator")
    roots = mara_leaves["roots"]
    cato_account = Account.objects.get(currency=roots, membership__user=people["coordinator"])
    urls = [
        "/c/riverside/audit/",
        "/c/riverside/",
        "/c/riverside/members/",
        "/c/riverside/money/",
        f"/c/riverside/money/{roots.code}/",
        f"/c/riverside/money/{roots.code}/admin/",
        f"/c/riverside/money/accounts/{mara_leaves['paying'].pk}/",
        f"/c/riverside/money/accounts/{cato_account.pk}/",  # her payment, seen by its payee
        "/api/v1/communities/riverside/audit?limit=100",
        "/api/v1/communities/riverside/members?limit=100",
        "/api/v1/communities/riverside/money/accounts?limit=100",
        f"/api/v1/communities/riverside/money/currencies/{roots.code}/payees?limit=100",
        "/api/v1/communities/riverside/money/export.csv",
    ]
    seen = 0
    for url in urls:
        response = coordinator.get(url)
        if response.status_code in (403, 404):  # not this coordinator's to see: nothing shown
            continue
        assert response.status_code == 200, (url, response.status_code)
        seen += 1
        assert NAME not in response.content.decode(), url
    assert seen >= 10
    audit = coordinator.get("/c/riverside/audit/").content.decode()
    assert "former member" in audit


def test_a_short_name_is_replaced_only_as_a_whole_word(community: Community) -> None:
    from dualpower.community.services import audit_record

    mine = audit_record(community=community, actor=None, action="x", summary="Al: coordinator → member")
    other = audit_record(community=community, actor=None, action="x", summary="Almond delivery")
    assert services.audit_redact_name(community=community, name="Al") == 1
    assert AuditRedaction.objects.get(entry=mine).summary == "former member: coordinator → member"
    assert not AuditRedaction.objects.filter(entry=other).exists()


def test_the_deletion_page_still_works(client_for: Any, people: dict[str, Any]) -> None:
    me = client_for("member")
    response = me.post(reverse("me:delete"), {"confirm_email": people["member"].email})
    assert response.status_code == 302
    assert not Membership.objects.filter(display_name=NAME).exists()
