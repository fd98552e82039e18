"""The statement's rows are written in Python (views/accounts.py ``_statement_rows``): the same HTML
the template's loop wrote, for every kind of transfer, in both languages, with text that needs
escaping."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from dualpower.ledger import selectors, services
from dualpower.ledger.models import Transfer
from dualpower.ledger.tests.factories import account_of
from dualpower.ledger.views.accounts import _statement_rows

pytestmark = pytest.mark.django_db

# The loop the template had before the rows moved to the view, kept here to compare against.
TEMPLATE_LOOP = (
    "{% load i18n numbers %}{% trans 'Date' as l_date %}{% trans 'With' as l_with %}"
    "{% trans 'What for' as l_what %}{% trans 'Amount' as l_amount %}{% trans 'Balance' as l_balance %}"
    "{% for line in lines %}\n        <tr>\n"
    '          <td data-label="{{ l_date }}">{{ line.transfer.created_at|date:"DATETIME_FORMAT" }}</td>\n'
    '          <td data-label="{{ l_with }}">{{ line.other.name }}</td>\n'
    '          <td data-label="{{ l_what }}">{{ line.transfer.description }}'
    '{% if line.transfer.kind != "payment" %}'
    " <small>({{ line.transfer.get_kind_display }})</small>{% endif %}"
    "</td>\n"
    '          <td data-label="{{ l_amount }}">{{ line.amount|money:currency }}</td>\n'
    '          <td data-label="{{ l_balance }}">{{ line.balance|money:currency }}</td>\n'
    "        </tr>\n      {% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_rows_are_the_html_the_template_wrote(people: Any, roots: Any, language: str) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    services.transfer_make(debit=cato, credit=mara, amount=9876, description='Bread & <jam> "fresh"')
    services.transfer_make(
        debit=mara, credit=cato, amount=50, description="fix", kind=Transfer.Kind.CORRECTION
    )
    lines = selectors.statement_page(account=mara, size=10).lines
    assert len(lines) == 2
    with translation.override(language):
        expected = Template(TEMPLATE_LOOP).render(Context({"lines": lines, "currency": mara.currency}))
        written = _statement_rows(lines, currency=mara.currency)
    assert "<small>(" in written and "&lt;jam&gt;" in written
    assert written == expected


def test_no_lines_write_no_rows(people: Any, roots: Any) -> None:
    assert _statement_rows([], currency=roots) == ""
