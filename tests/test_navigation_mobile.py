"""The site header on every width: a front row of links, the whole menu behind a native "Menu",
grouped under four headings (Decide, Meet needs, Economy, Community) and "You".

A cheap phone shows the page, not a wall of fifteen links, and a laptop shows four short headed
lists rather than rows of eighteen links; the disclosure is a <details>, so it works without
JavaScript. What the stylesheet does with it is checked in a browser; these tests check what every
browser gets: which links are in the front row, which wait in the menu and under which heading,
which one is the current page, and that nobody sees links to a community they are not admitted to.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

import pytest
from django.utils import translation

from dualpower.web import navigation

pytestmark = pytest.mark.django_db


@dataclass
class Link:
    href: str
    text: str = ""
    current: str | None = None
    in_menu: bool = False
    in_front_row: bool = False
    group: str | None = None


@dataclass
class Header:
    nav_label: str | None = None
    summary: str | None = None
    menus: int = 0
    links: list[Link] = field(default_factory=list)
    first_body_link: str | None = None

    def hrefs(self, *, in_menu: bool) -> list[str]:
        return [link.href for link in self.links if link.in_menu == in_menu and link.href != "/"]

    def groups(self) -> dict[str, list[str]]:
        """The menu's headings, in order, each with the links under it."""
        found: dict[str, list[str]] = {}
        for link in self.links:
            if link.in_menu and link.group:
                found.setdefault(link.group, []).append(link.href)
        return found


class _HeaderParser(HTMLParser):
    """Reads the skip link and the main <nav>: each link, and whether it is in the menu."""

    def __init__(self) -> None:
        super().__init__()
        self.header = Header()
        self._in_nav = self._in_menu = self._in_front_row = self._in_summary = False
        self._link: Link | None = None
        self._summary: list[str] = []
        self._group: str | None = None
        self._in_group_label = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and self.header.first_body_link is None:
            self.header.first_body_link = a.get("href")
        if tag == "nav" and "site-nav" in (a.get("class") or ""):
            self._in_nav = True
            self.header.nav_label = a.get("aria-label")
        if not self._in_nav:
            return
        if tag == "details":
            self._in_menu = True
            self.header.menus += 1
        elif tag == "summary":
            self._in_summary = True
        elif tag == "p" and "nav-group-label" in (a.get("class") or ""):
            self._in_group_label = True
            self._group = ""
        elif tag == "ul" and "nav-primary" in (a.get("class") or ""):
            self._in_front_row = True
        elif tag == "a":
            self._link = Link(
                href=a.get("href") or "",
                current=a.get("aria-current"),
                in_menu=self._in_menu,
                in_front_row=self._in_front_row,
                group=self._group if self._in_menu else None,
            )

    def handle_endtag(self, tag: str) -> None:
        if not self._in_nav:
            return
        if tag == "nav":
            self._in_nav = False
        elif tag == "details":
            self._in_menu = False
        elif tag == "p":
            self._in_group_label = False
        elif tag == "summary":
            self._in_summary = False
            self.header.summary = "".join(self._summary).strip()
        elif tag == "ul":
            self._in_front_row = False
        elif tag == "a" and self._link is not None:
            self._link.text = self._link.text.strip()
            self.header.links.append(self._link)
            self._link = None

    def handle_data(self, data: str) -> None:
        if self._in_group_label:
            self._group = ((self._group or "") + data).strip()
        if self._link is not None:
            self._link.text += data
        if self._in_summary:
            self._summary.append(data)


def header_of(response: Any) -> Header:
    assert response.status_code == 200
    parser = _HeaderParser()
    parser.feed(response.content.decode())
    return parser.header


FRONT_ROW = ["/c/riverside/", "/c/riverside/assemblies/", "/c/riverside/aid/", "/me/notifications/"]


def test_a_member_sees_the_front_row_and_the_rest_behind_a_menu(client_for: Any) -> None:
    header = header_of(client_for("member").get("/c/riverside/"))

    assert header.nav_label == "Main"
    assert header.menus == 1
    assert header.summary == "Menu"
    assert header.hrefs(in_menu=False) == FRONT_ROW
    assert all(link.in_front_row for link in header.links if not link.in_menu and link.href in FRONT_ROW)
    menu = header.hrefs(in_menu=True)
    for href in [
        "/c/riverside/groups/",
        "/c/riverside/meetings/",
        "/c/riverside/money/",
        "/c/riverside/members/",
        "/c/riverside/audit/",
        "/me/",
    ]:
        assert href in menu
    # Each page is in the menu once.
    assert len(menu) == len(set(menu))


def test_the_menu_is_grouped_under_four_headings(client_for: Any) -> None:
    groups = header_of(client_for("member").get("/c/riverside/")).groups()

    assert list(groups) == ["Decide", "Meet needs", "Economy", "Community", "You"]
    assert groups["Decide"] == [
        "/c/riverside/assemblies/",
        "/c/riverside/deliberations/",
        "/c/riverside/delegates/",
        "/c/riverside/panels/",
        "/c/riverside/meetings/",
        "/c/riverside/budgets/",
    ]
    assert groups["Meet needs"] == [
        "/c/riverside/aid/",
        "/c/riverside/activities/",
        "/c/riverside/inventory/",
        "/c/riverside/care/circles/",
        "/c/riverside/care/clinics/",
        "/c/riverside/food/plate/",
        "/c/riverside/defence/",
    ]
    assert groups["Economy"] == [
        "/c/riverside/food/gardens/",
        "/c/riverside/money/",
        "/c/riverside/coops/",
        "/c/riverside/land/",
    ]
    # The mail the node sent is only for coordinators (and only while it keeps mail in a folder).
    assert groups["Community"] == [
        "/c/riverside/groups/",
        "/c/riverside/learn/",
        "/c/riverside/members/",
        "/c/riverside/audit/",
        "/c/riverside/commons/",
        "/c/riverside/defence/exposure/",
        "/c/riverside/network/",
        "/c/riverside/defence/duress/",
    ]
    assert groups["You"] == ["/me/"]
    # The front row's links are in their groups too, so each group is whole.
    assert set(FRONT_ROW) - {"/c/riverside/", "/me/notifications/"} <= {
        h for hs in groups.values() for h in hs
    }


def test_the_skip_link_comes_before_the_menu(client_for: Any) -> None:
    response = client_for("member").get("/c/riverside/")
    assert header_of(response).first_body_link == "#main"
    assert 'id="main"' in response.content.decode()


@pytest.mark.parametrize(
    ("path", "in_menu"),
    [
        ("/c/riverside/", False),
        ("/c/riverside/assemblies/", False),
        ("/c/riverside/meetings/", True),
        ("/c/riverside/members/", True),
    ],
)
def test_the_current_page_is_marked_wherever_its_link_is(client_for: Any, path: str, in_menu: bool) -> None:
    header = header_of(client_for("member").get(path))
    current = [link for link in header.links if link.current is not None]
    assert [(link.href, link.current, link.in_menu) for link in current] == [(path, "page", in_menu)]


def test_an_anonymous_visitor_gets_no_member_links_and_no_menu(client_for: Any) -> None:
    header = header_of(client_for("anonymous").get("/c/riverside/about/"))

    assert header.menus == 0
    assert not [link for link in header.links if link.href.startswith(("/c/", "/me/"))]
    assert {link.text for link in header.links} >= {"Sign in", "Sign up"}


@pytest.mark.parametrize("role", ["applicant", "outsider"])
def test_someone_not_admitted_gets_no_links_into_the_community(client_for: Any, role: str) -> None:
    header = header_of(client_for(role).get("/c/riverside/about/"))

    assert not [link for link in header.links if link.href.startswith("/c/riverside/")]
    assert header.hrefs(in_menu=False) == ["/me/notifications/"]
    assert header.hrefs(in_menu=True) == ["/me/"]


def test_the_menu_speaks_spanish(client_for: Any) -> None:
    # The locale middleware leaves the request's language active; the override puts it back.
    with translation.override("en"):
        header = header_of(client_for("member").get("/c/riverside/", HTTP_ACCEPT_LANGUAGE="es"))
    assert header.summary == "Menú"
    assert header.nav_label == "Principal"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, navigation.Entry]:
    """The registry as the apps left it, restored after the test."""
    copy = dict(navigation._registry)
    monkeypatch.setattr(navigation, "_registry", copy)
    return copy


def test_an_entry_that_does_not_ask_for_the_front_row_is_in_the_menu(
    registry: dict[str, navigation.Entry],
) -> None:
    navigation.register("bikes", "Bike workshop", "community-about", order=1)

    links = {link.key: link for link in navigation.entries_for("riverside")}
    assert not links["bikes"].primary
    assert links["assemblies"].primary and links["aid"].primary
    # Still the (label, url) pairs callers unpack and compare.
    assert ("Bike workshop", "/c/riverside/about/") in navigation.entries_for("riverside")
    label, url = links["bikes"]
    assert (label, url) == (links["bikes"].label, links["bikes"].url)


def test_the_front_row_stays_short_when_more_apps_ask_for_it(registry: dict[str, navigation.Entry]) -> None:
    navigation.register("bikes", "Bike workshop", "community-about", order=1, primary=True)

    primary = [link.key for link in navigation.entries_for("riverside") if link.primary]
    # In menu order, and no more than fit beside the dashboard and notifications on a phone.
    assert primary == ["bikes", "assemblies"]
    assert len(primary) == navigation.PRIMARY_LIMIT


def test_a_copied_link_keeps_its_place_in_the_menu() -> None:
    link = navigation.Link("Mutual aid", "/c/riverside/aid/", key="aid", primary=True, group="needs")
    copied = copy.deepcopy(link)
    assert copied == link and copied.key == "aid" and copied.primary and copied.group == "needs"


def test_an_entry_names_one_of_the_menus_groups(registry: dict[str, navigation.Entry]) -> None:
    with pytest.raises(ValueError, match="menu group"):
        navigation.register("bikes", "Bike workshop", "community-about", group="bicycles")
    navigation.register("bikes", "Bike workshop", "community-about", group="needs")
    groups = {group.key: group for group in navigation.grouped(navigation.entries_for("riverside"))}
    assert "/c/riverside/about/" in [link.url for link in groups["needs"].links]


def test_an_entry_asking_for_a_permission_is_shown_only_to_who_has_it(
    client_for: Any, registry: dict[str, navigation.Entry]
) -> None:
    navigation.register(
        "settings", "Settings", "community-edit", group="community", perm="community.change_community"
    )
    member = header_of(client_for("member").get("/c/riverside/")).groups()
    coordinator = header_of(client_for("coordinator").get("/c/riverside/")).groups()
    assert "/c/riverside/settings/" not in member["Community"]
    assert "/c/riverside/settings/" in coordinator["Community"]
