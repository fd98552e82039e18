"""The common part's second round (issue 21) and the pages it serves first: what is now worked out
once per process or per page gives exactly what Django's own path gives.

- permissions on an object asked of the rules directly (``web.permissions.may``) answer as
  ``user.has_perm`` does, for every role and every permission the rules know;
- a session's signature checked once per text (``web.sessions``): the same data, a tampered or
  foreign text still an empty session;
- the CSRF mask drawn from one random read (``web.frame``): tokens Django unmasks to the secret;
- the base page's words translated once per language (``web.frame.site_text``), as ``{% trans %}``;
- rows' addresses reversed once (``web.addresses.by_id``), moments written once
  (``web.moments``), filter forms kept (``web.kept_forms.form_as_div_html``), ``Prepared.count``;
- the member list's and the audit log's rows written in Python: the HTML the template's loop wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import rules
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token  # type: ignore[attr-defined]
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from dualpower.community import hooks
from dualpower.community.models import AuditEntry, Community
from dualpower.community.selectors import audit_page
from dualpower.community.views import _audit_rows
from dualpower.members import selectors
from dualpower.members.forms import MemberFilterForm
from dualpower.members.models import Membership
from dualpower.members.tests.factories import MembershipFactory
from dualpower.members.views.people import _member_rows
from dualpower.web import frame, kept_forms, sessions
from dualpower.web.addresses import by_id
from dualpower.web.moments import moment_texts
from dualpower.web.permissions import may
from dualpower.web.prepared import Prepared

pytestmark = pytest.mark.django_db


def test_a_permission_on_an_object_is_what_djangos_has_perm_says(
    community: Community, people: dict[str, Any]
) -> None:
    names = sorted(name for name in rules.permissions.permissions if "." in name)
    assert len(names) > 50
    superuser = people["coordinator"].__class__.objects.create_superuser(
        email="root@example.org", password="x"
    )
    for user in [*people.values(), superuser]:
        for name in names:
            try:
                expected = user.has_perm(name, community)
            except Exception:  # a rule for another kind of object: both must fail alike
                with pytest.raises(Exception):  # noqa: B017
                    may(user, name, community)
                continue
            assert may(user, name, community) == expected, (user, name)
    assert may(superuser, "anything.at_all", community)
    assert not may(people["member"], "anything.at_all", community)


def test_a_session_is_read_as_django_reads_it_and_a_bad_one_is_empty(client_for: Any) -> None:
    client = client_for("member")
    assert client.get("/c/riverside/about/").status_code == 200
    key = client.cookies["sessionid"].value
    ours, django = sessions.SessionStore(key), DjangoSessionStore(key)
    assert ours.load() == django.load() and ours.load()["_auth_user_id"]
    text = ours._get_session_from_db().session_data
    assert ours.decode(text) == django.decode(text)
    first = ours.decode(text)
    first["changed"] = True  # each read is the session's own copy
    assert "changed" not in ours.decode(text)
    tampered = text[:-3] + ("AAA" if text[-3:] != "AAA" else "BBB")
    assert ours.decode(tampered) == {} == django.decode(tampered)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.conf.settings.SECRET_KEY", "another key entirely, fifty characters or more!!")
        assert ours.decode(text) == {}  # the text was checked under the key it was checked with


def test_the_csrf_token_unmasks_to_the_cookies_secret_and_differs_each_time(client_for: Any) -> None:
    client = client_for("member")
    client.get("/c/riverside/about/")
    secret = client.cookies["csrftoken"].value
    seen = set()
    for _ in range(20):
        request = RequestFactory().get("/")
        request.META["CSRF_COOKIE"] = secret
        token = frame._get_token(request)
        assert re.fullmatch(r"[A-Za-z0-9]{64}", token) and _unmask_cipher_token(token) == secret
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True
        seen.add(token)
    assert len(seen) == 20
    fresh = RequestFactory().get("/")  # no secret yet: Django makes one
    assert _unmask_cipher_token(frame._get_token(fresh)) == fresh.META["CSRF_COOKIE"]


def test_the_base_pages_words_are_what_trans_gives() -> None:
    template = Template(
        '{% load i18n %}{% trans "dualpower" %}|{% trans "Skip to content" %}|{% trans "Main" %}|'
        '{% trans "You are offline: this page was saved at %(time)s and may be out of date." %}'
    )
    for language in ("en", "es"):
        with translation.override(language):
            words = frame.site_text()
            assert "|".join(words[k] for k in ("name", "skip", "main", "offline")) == template.render(
                Context()
            )
    assert "%(time)s" in words["offline"] and words["skip"] != "Skip to content"


def test_addresses_by_id_are_what_reverse_gives(community: Community) -> None:
    address = by_id("members:detail", community.slug)
    for pk in (1, 7, 10, 99, 12345, 2**63 - 1):
        assert address(pk) == reverse("members:detail", args=[community.slug, pk])
    with pytest.raises(NoReverseMatch):
        by_id("home")  # an address without an id


def test_moments_are_written_as_the_date_filters_write_them() -> None:
    template = Template("{{ m|date:'c' }}|{{ m|date:\"DATETIME_FORMAT\" }}")
    moments = [
        dt.datetime(2026, 12, 7, 23, 59, 30, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 4, 0, 5, tzinfo=dt.UTC),
        dt.datetime(2026, 7, 1, 12, 0),  # naive
    ]
    for language in ("en", "es"):
        for zone in ("UTC", "America/Mexico_City"):
            with translation.override(language), timezone.override(zone):
                for moment in moments:
                    assert "|".join(moment_texts(moment)) == template.render(Context({"m": moment}))


def test_a_kept_filter_form_is_djangos_own_rendering() -> None:
    for language in ("en", "es"):
        with translation.override(language):
            for data in (None, {"skill": "cook"}, {"skill": "x" * 50}, {"neighbourhood": '<b>"'}):
                form = MemberFilterForm(data)
                form.is_valid()
                first = kept_forms.form_as_div_html(form)
                again = MemberFilterForm(data)
                again.is_valid()
                assert kept_forms.form_as_div_html(again) == first == str(again.as_div())


def _old_member_rows(people: list[Membership], slug: str) -> str:
    # The member list's loop as its template wrote it before the rows were written in Python.
    return Template(
        "{% load i18n %}{% for m in people %}\n      <tr>\n"
        '        <th scope="row" data-label="{% trans \'Name\' %}">'
        "<a href=\"{% url 'members:detail' slug m.pk %}\">{{ m.display_name }}</a></th>\n"
        '        <td data-label="{% trans \'Role\' %}">{% if m.role != "member" %}<span class="badge">'
        "{{ m.get_role_display }}</span>{% else %}{{ m.get_role_display }}{% endif %}</td>\n"
        '        <td data-label="{% trans \'Neighbourhood\' %}">{{ m.neighbourhood|default:"—" }}</td>\n'
        '        <td data-label="{% trans \'Skills\' %}">{{ m.skills|join:", "|default:"—" }}</td>\n'
        "      </tr>\n    {% endfor %}"
    ).render(Context({"people": people, "slug": slug}))


def test_the_member_rows_are_what_the_template_wrote(community: Community, people: dict[str, Any]) -> None:
    MembershipFactory.create(
        community=community, display_name='<Ann & "Bo">', role="observer", neighbourhood="", skills=[]
    )
    MembershipFactory.create(
        community=community, display_name="Zoë", neighbourhood="<Loma>", skills=["a&b", "<i>", "cook"]
    )
    found = selectors.member_list_page(community=community).people
    assert len(found) >= 5
    for language in ("en", "es"):
        with translation.override(language):
            assert _member_rows(found, slug=community.slug) == _old_member_rows(found, community.slug)


def test_the_member_list_reads_what_the_orm_reads(community: Community, people: dict[str, Any]) -> None:
    for i in range(7):
        MembershipFactory.create(community=community, display_name=f"Person {i % 3}", skills=["cook"])
    people_qs = selectors.members_of(community=community)
    ids = list(people_qs.values_list("pk", flat=True))
    for after, before in [(None, None), (ids[2], None), (None, ids[-2]), (ids[-1], None), (None, ids[0])]:
        for skill in ("", "cook"):
            wanted = selectors.members_page(
                people=selectors.members_of(community=community, skill=skill),
                after=after,
                before=before,
                size=3,
            )
            with CaptureQueriesContext(connection) as queries:
                got = selectors.member_list_page(
                    community=community, skill=skill, after=after, before=before, size=3, count=True
                )
            assert [m.pk for m in got.people] == [m.pk for m in wanted.people], (after, before, skill)
            assert (got.next, got.previous) == (wanted.next, wanted.previous)
            assert got.count == selectors.members_of(community=community, skill=skill).count()
            assert all(m.community is community for m in got.people)
            assert not [q for q in queries.captured_queries if "OFFSET" in q["sql"].upper()]
    counted = Prepared(lambda community: Membership.objects.filter(community_id=community), community=int)
    assert counted.count(community=community.pk) == Membership.objects.filter(community=community).count()
    with pytest.raises(ValueError, match="cannot be counted"):
        Prepared(lambda pk: Membership.objects.filter(pk=pk)[:1], pk=int).count(pk=1)


def test_the_audit_rows_are_what_the_template_wrote(community: Community, people: dict[str, Any]) -> None:
    coordinator = Membership.objects.get(user=people["coordinator"], community=community)
    AuditEntry.objects.create(community=community, actor=coordinator, action="x.y", summary='<b>"&</b>')
    AuditEntry.objects.create(community=community, actor=None, action="community.create", summary="")
    entries = audit_page(community=community).entries
    assert len(entries) >= 2
    old = Template(
        "{% load i18n audit_log %}{% for entry in entries %}\n"
        "        <tr><td data-label=\"{% trans 'When' %}\">"
        "<time datetime=\"{{ entry.created_at|date:'c' }}\">"
        '{{ entry.created_at|date:"DATETIME_FORMAT" }}</time></td>\n'
        "            <td data-label=\"{% trans 'What happened' %}\">{{ entry|audit_sentence }}</td></tr>\n"
        "      {% endfor %}"
    )
    for language in ("en", "es"):
        with translation.override(language):
            assert str(_audit_rows(entries)) == old.render(Context({"entries": entries}))
    assert "&lt;b&gt;" in _audit_rows(entries) and hooks.audit_sentence(entries[0])
