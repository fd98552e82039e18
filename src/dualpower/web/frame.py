"""The frame of every page (web/navigation.py's menu as HTML, the footer, their addresses), kept
per process.

Every page showed the same header, worked out anew: a dozen ``{% url %}`` and ``{% static %}``
tags and the menu's loops cost more CPU than many pages' own content. The addresses are worked
out once per process (``site_urls``), the menu's HTML once per language, set of links and current
page (``SiteMenu``), the footer once per language (``SiteFooter``): each key is everything its
HTML is made from, so nothing has to be invalidated — a community whose menu changes (a
permission granted, an app registered) gives a new key. Each request's own parts (its CSRF token,
the unread count, its address) are put into slots left in the kept copy.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from dualpower.web.navigation import Link, grouped

# Slots hold a NUL character, which no text of ours can contain (the door refuses it in requests,
# PostgreSQL cannot store it) and HTML escaping leaves as it is: nothing else is ever replaced.
_CSRF_SLOT = "\x00csrf\x00"
_NOTIFICATIONS_SLOT = "\x00notifications\x00"
_NEXT_SLOT = "\x00next\x00"
_KEPT_MAX = 2_000  # bounded in case of many communities and pages

_site_urls: dict[str, dict[str, str]] = {}
_menus_html: dict[tuple[Any, ...], str] = {}
_notifications_html: dict[tuple[Any, ...], str] = {}
_footers_html: dict[tuple[Any, ...], str] = {}


def _keep(store: dict[tuple[Any, ...], str], key: tuple[Any, ...], make: Callable[[], str]) -> str:
    html = store.get(key)
    if html is None:
        if len(store) >= _KEPT_MAX:
            store.clear()
        html = store[key] = make()
    return html


def site_urls() -> dict[str, str]:
    """The addresses every page's header and footer link to (pages and static files), worked out
    once per process (and script prefix)."""
    prefix = get_script_prefix()
    urls = _site_urls.get(prefix)
    if urls is None:
        urls = _site_urls[prefix] = {
            **{
                name: reverse(url_name)
                for name, url_name in (
                    ("home", "home"),
                    ("notifications", "notifications:list"),
                    ("profile", "me:profile"),
                    ("setup", "setup:place"),
                    ("logout", "account_logout"),
                    ("login", "account_login"),
                    ("signup", "account_signup"),
                    ("set_language", "set_language"),
                    ("manifest", "pwa-manifest"),
                    ("service_worker", "pwa-service-worker"),
                )
            },
            **{
                name: staticfiles_storage.url(path)
                for name, path in (
                    ("favicon", "favicon.svg"),
                    ("css", "css/dualpower.css"),
                    ("apple_touch_icon", "icons/apple-touch-icon.png"),
                    ("offline_js", "js/offline.js"),
                )
            },
        }
    return urls


_site_text: dict[str | None, dict[str, str]] = {}


def site_text() -> dict[str, str]:
    """The base page's own words in the active language, translated once per process and
    language (``{% trans %}`` costs tens of microseconds a tag, on every page)."""
    language = get_language()
    words = _site_text.get(language)
    if words is None:
        words = _site_text[language] = {
            "name": gettext("dualpower"),
            "skip": gettext("Skip to content"),
            "main": gettext("Main"),
            # As ``{% trans %}`` does: its text's "%" doubled in the message, restored after.
            "offline": gettext(
                "You are offline: this page was saved at %%(time)s and may be out of date."
            ).replace("%%", "%"),
        }
    return words


@receiver(setting_changed)
def _forget_kept_html(**_kwargs: Any) -> None:
    # Tests change the URLs, static storage or templates: nothing kept may outlive them.
    _site_urls.clear()
    _site_text.clear()
    _menus_html.clear()
    _notifications_html.clear()
    _footers_html.clear()


def csrf_token_of(request: HttpRequest) -> str:
    """The request's CSRF token for its forms, masked once per request and secret: masking draws
    fresh random characters each time, and a page has three forms (the body's htmx header, the
    menu's "Sign out", the footer's language)."""
    secret = request.META.get("CSRF_COOKIE")
    kept: tuple[Any, str] | None = getattr(request, "_dp_csrf_token", None)
    if kept is None or kept[0] != secret:
        token = _get_token(request)
        kept = (request.META.get("CSRF_COOKIE"), token)
        request._dp_csrf_token = kept  # type: ignore[attr-defined]  # a per-request cache
    return kept[1]


_CSRF_INDEX = {char: index for index, char in enumerate(CSRF_ALLOWED_CHARS)}


def _get_token(request: HttpRequest) -> str:
    """Django's ``get_token``, the mask drawn from one read of the system's random source rather
    than one per character (Django's ``get_random_string`` asks ``secrets.choice`` 32 times):
    48 random bytes as a number, written in base 62, give the 32 characters of the mask with a
    bias far below 2⁻¹⁰⁰. The secret in the cookie, the token's form and its checking are Django's."""
    secret = request.META.get("CSRF_COOKIE")
    if not isinstance(secret, str) or len(secret) != CSRF_SECRET_LENGTH or secret.strip(CSRF_ALLOWED_CHARS):
        return get_token(request)  # no secret yet: Django makes one (and its cookie)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token: the cookie's expiry renewed
    base = len(CSRF_ALLOWED_CHARS)
    number = int.from_bytes(secrets.token_bytes(48), "big")
    mask = []
    for _ in range(CSRF_SECRET_LENGTH):
        number, digit = divmod(number, base)
        mask.append(digit)
    cipher = (CSRF_ALLOWED_CHARS[(_CSRF_INDEX[c] + m) % base] for c, m in zip(secret, mask, strict=True))
    return "".join(CSRF_ALLOWED_CHARS[m] for m in mask) + "".join(cipher)


class SiteMenu:
    """The signed-in header's links for one request: the front row (the community's home, its
    primary entries, notifications) and the "Menu" disclosure (every entry under its heading, then
    the visitor's own links). ``{{ site_menu }}`` in base.html renders it; a page that does not
    show it (a fragment for htmx) never works it out, nor counts the unread notifications."""

    def __init__(
        self,
        request: HttpRequest,
        *,
        links: list[Link],
        home_url: str,
        can_set_up_node: bool,
        unread: Callable[[], int],
    ) -> None:
        self.request = request
        self.links = links
        self.home_url = home_url  # "" outside a community the visitor is admitted to
        self.can_set_up_node = can_set_up_node
        self.unread = unread
        self._html: SafeString | None = None

    def __html__(self) -> SafeString:
        if self._html is None:
            # Made of our own templates' output and a CSRF token (letters and digits).
            self._html = mark_safe(self._render())  # noqa: S308
        return self._html

    __str__ = __html__

    def _render(self) -> str:
        urls = site_urls()
        path = self.request.path
        shown = {self.home_url, urls["notifications"], urls["profile"], *(link.url for link in self.links)}
        if self.can_set_up_node:
            shown.add(urls["setup"])
        language = get_language()
        menu_key = (
            language,
            get_script_prefix(),
            self.home_url,
            tuple((link.key, link.label, link.url, link.primary, link.group) for link in self.links),
            self.can_set_up_node,
            # Only the page's own link is marked: other pages share one copy.
            path if path in shown else "",
        )
        menu = _keep(_menus_html, menu_key, lambda: self._menu(urls, menu_key[-1]))
        unread = self.unread()
        current = path == urls["notifications"]
        notifications = _keep(
            _notifications_html,
            (language, get_script_prefix(), unread, current),
            lambda: get_template("partials/_site_menu_notifications.html").render(
                {"url": urls["notifications"], "unread": unread, "current": current}
            ),
        )
        return menu.replace(_NOTIFICATIONS_SLOT, notifications.strip()).replace(
            _CSRF_SLOT, csrf_token_of(self.request)
        )

    def _menu(self, urls: dict[str, str], current: str) -> str:
        return get_template("partials/_site_menu.html").render(
            {
                "home_url": self.home_url,
                "links": self.links,
                "groups": grouped(self.links),
                "urls": urls,
                "current": current,
                "can_set_up_node": self.can_set_up_node,
                "csrf_token": _CSRF_SLOT,
                "notifications_slot": mark_safe(_NOTIFICATIONS_SLOT),  # noqa: S308  # our own constant
            }
        )


class SiteFooter:
    """Every page's footer (the language form, the API link) for one request, kept per process
    and language; the request's CSRF token and own address go into their slots."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self._html: SafeString | None = None

    def __html__(self) -> SafeString:
        if self._html is None:
            language = get_language()
            footer = _keep(
                _footers_html,
                (language, get_script_prefix()),
                lambda: get_template("partials/_site_footer.html").render(
                    {"urls": site_urls(), "LANG": language, "csrf_token": _CSRF_SLOT, "next": _NEXT_SLOT}
                ),
            )
            # The address last: it is the visitor's own text (escaped), never searched for a slot.
            html = footer.replace(_CSRF_SLOT, csrf_token_of(self.request)).replace(
                _NEXT_SLOT, escape(self.request.get_full_path())
            )
            self._html = mark_safe(html)  # noqa: S308  # our template's output, the address escaped
        return self._html

    __str__ = __html__
