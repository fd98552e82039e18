"""The assembly page's proposal rows are written in Python (templatetags/proposal_rows.py): the same
HTML the row template wrote, included once per proposal, for every state a row can show, in both
languages, with a title that needs escaping."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.template import Context, Template
from django.utils import translation

from dualpower.assemblies.models import Outcome, Proposal
from dualpower.assemblies.templatetags.proposal_rows import proposal_rows
from dualpower.assemblies.tests.factories import general

pytestmark = pytest.mark.django_db

# The row template the assembly page included once per proposal, kept here to compare against.
ROW_TEMPLATE = (
    "{% load i18n %}{% for p in proposals %}"
    '<li><a href="{{ p.get_absolute_url }}">{{ p.title_shown }}</a>\n  <small>'
    '{% if p.state == "voting" %}{% blocktrans with when=p.voting_closes_at|date:"DATETIME_FORMAT" %}'
    "vote closes {{ when }}{% endblocktrans %}"
    '{% elif p.state == "discussion" %}{% blocktrans with when=p.voting_opens_at|date:"DATETIME_FORMAT" %}'
    "vote opens {{ when }}{% endblocktrans %}"
    '{% elif p.state == "closed" and p.outcome %}{% if p.outcome.passed %}{% trans "passed" %}'
    '{% elif p.outcome.passed is None %}{% trans "awaiting the author\'s decision" %}'
    '{% else %}{% trans "did not pass" %}{% endif %}{% else %}{{ p.get_state_display }}{% endif %}'
    "</small></li>\n{% endfor %}"
)


def _proposals(community: Any) -> list[Proposal]:
    assembly = general(community)
    moment = dt.datetime(2026, 12, 14, 10, 12, tzinfo=dt.UTC)
    rows = []
    for pk, (state, passed) in enumerate(
        [
            ("draft", None),
            ("discussion", None),
            ("voting", None),
            ("closed", True),
            ("closed", None),
            ("closed", False),
            ("closed", "no outcome"),
            ("withdrawn", None),
        ],
        start=1,
    ):
        p = Proposal(
            pk=pk,
            assembly=assembly,
            title=f'Bread & <jam> "{state}"',
            state=state,
            voting_opens_at=moment,
            voting_closes_at=moment + dt.timedelta(days=3),
        )
        if state == "closed" and not isinstance(passed, str):
            p.outcome = Outcome(passed=passed)
        rows.append(p)
    return rows


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_rows_are_the_html_the_row_template_wrote(community: Any, language: str) -> None:
    proposals = _proposals(community)
    with translation.override(language):
        expected = Template(ROW_TEMPLATE).render(Context({"proposals": proposals}))
        written = proposal_rows(proposals)
    assert written.count("<li>") == len(proposals) and "&lt;jam&gt;" in written
    assert written == expected
