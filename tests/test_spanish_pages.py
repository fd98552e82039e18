"""A person reading Spanish meets no English sentence the catalogue knows how to say in Spanish.

The demo community is loaded; the coordinator and a member, each with Spanish chosen, walk every
page reachable from the community's home (links followed, one page per URL pattern). The visible
text of each page is searched for every English sentence of src/dualpower/locale/es/.../django.po
that has a Spanish translation different from it and at least three words: finding one means a
string that is marked for translation was shown untranslated (the text was stored in English, or
formatted before the language was chosen, or the template's msgid drifted from the catalogue).

The same pages are searched for numbers written the English way ("3,399 EUR", "0.50 R"): Spanish
writes "3 399" and "0,50" (dualpower.formatting and ``{% load numbers %}`` do it).

Texts that people typed (the demo's proposals, requests, names, "Spend up to 2,400 …") are theirs
and stay as typed; they are not in the catalogue, so they are not searched for. The failure names
the page (its URL and its pattern) and the sentence; a page that fails (500) is named too.

Run alone: ``pytest tests/test_spanish_pages.py`` (it loads the demo: a few minutes on one core).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve

from dualpower.members.models import User
from dualpower.ops.demo import demo_load

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
DEMO_HOME = "/c/demo/"
PEOPLE = ("coordinator@demo.dualpower", "member@demo.dualpower")
# Links a reader follows but that are not pages in a language: files, the API, sign-out.
NOT_PAGES = ("/static/", "/media/", "/api/", "/accounts/logout", "/admin/")
MIN_WORDS = 3
# "3,399" or "0.50": a thousands comma or a decimal point, which Spanish writes "3 399" and "0,50".
# A number inside double quotes ("0.02") is JSON shown as an example of a machine format, which
# is written the same in every language.
ENGLISH_NUMBER = re.compile(
    r"(?<![\w.,:/#\"-])"  # not inside a word, a code, a path or a quoted JSON value
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)"
    r"(?![\w.,]?\d)(?![\w\"])"
)
# Numbers the demo's people typed in their own texts ("Spend up to 2,400 …") stay as typed.
TYPED_NUMBERS = frozenset(
    number
    for loader in Path(settings.BASE_DIR).glob("**/demo*.py")
    for sentence in re.findall(r'"[^"\n]*[a-z] [^"\n]*"', loader.read_text(encoding="utf-8"))
    for number in ENGLISH_NUMBER.findall(sentence)
)
# A Creative Commons licence is named with its version ("CC BY-SA 4.0") in every language.
LICENCE_NAME = re.compile(r"\bCC(?: BY(?:-SA|-NC|-ND)*|0) \d\.\d\b")
PLACEHOLDER = re.compile(r"%\([^)]+\)[sdfi]|%[sdfi]|\{\{[^}]*\}\}|\{[a-z_]+\}")


# --- The catalogue ----------------------------------------------------------------------------


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(
        r"\\(.)", lambda m: {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}.get(m.group(1), m.group(1)), body
    )


def read_catalogue(path: Path = CATALOGUE) -> list[tuple[str, str]]:
    """(English, Spanish) of every translated entry, plural forms included; fuzzy and obsolete
    entries are left out. A small reader of the gettext format: no dependency."""
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    key: str | None = None

    def finish() -> None:
        nonlocal current, key
        if "msgid" in current:
            entries.append(current)
        current, key = {}, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#"):
            if line.startswith("#,") and "fuzzy" in line:
                current["fuzzy"] = True
            continue
        if line.startswith('"') and key is not None:
            current[key] += _unquote(line)
            continue
        head, _, rest = line.partition(" ")
        if head in ("msgctxt", "msgid") and any(k.startswith("msgstr") for k in current):
            finish()  # a new entry without a blank line before it
        key = head
        current[key] = _unquote(rest)
    finish()

    pairs: list[tuple[str, str]] = []
    for entry in entries:
        if entry.get("fuzzy") or not entry["msgid"]:
            continue
        spanish = entry.get("msgstr") or entry.get("msgstr[0]") or ""
        if not spanish:
            continue
        pairs.append((entry["msgid"], spanish))
        if entry.get("msgid_plural"):
            pairs.append((entry["msgid_plural"], entry.get("msgstr[1]") or spanish))
    return pairs


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z']+", PLACEHOLDER.sub(" ", text))


@dataclass
class Sentence:
    english: str
    pattern: re.Pattern[str] | None
    probe: str  # the longest literal part: a quick test before the pattern

    def found_in(self, text: str) -> bool:
        if self.probe not in text:
            return False
        if self.pattern is None:
            return True
        return self.pattern.search(text) is not None


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def english_sentences() -> list[Sentence]:
    """The English the catalogue can say in Spanish: at least three words, translated differently."""
    sentences = []
    for english, spanish in read_catalogue():
        english, spanish = _normal(english), _normal(spanish)
        if english == spanish or len(_words(english)) < MIN_WORDS:
            continue
        english = english.replace("%%", "%")
        parts = PLACEHOLDER.split(english)
        literal = [p.strip() for p in parts if p.strip()]
        if not literal:
            continue
        probe = max(literal, key=len)
        # A placeholder stands for any short text; the sentence must start and end on a word's edge.
        inner = r".{1,80}?".join(re.escape(p) for p in parts)
        pattern = re.compile(
            r"(?<!\w)" + inner.removeprefix(r".{1,80}?").removesuffix(r".{1,80}?") + r"(?!\w)"
        )
        sentences.append(Sentence(english=english, pattern=pattern, probe=probe))
    return sentences


# --- The pages --------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The text a person sees (not scripts, styles or templates) and the links."""

    HIDDEN = {"script", "style", "template", "noscript"}

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        for name in ("aria-label", "title", "placeholder", "alt"):
            if a.get(name):
                self.text.append(f" {a[name]} ")
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.text.append(f" {a['value']} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1
        if tag in ("p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "button", "label", "option"):
            self.text.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.text.append(data)


@dataclass
class Visit:
    url: str
    pattern: str
    text: str


@dataclass
class Walk:
    visits: list[Visit] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)


def _pattern(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route or match.view_name


def walk(client: Client, start: str = DEMO_HOME) -> Walk:
    """Breadth first from ``start``: one page per URL pattern, only pages of this node in HTML."""
    seen: set[str] = set()
    queue = deque([start])
    result = Walk()
    while queue:
        url = queue.popleft()
        pattern = _pattern(urlsplit(url).path)
        if pattern is None or pattern in seen:
            continue
        seen.add(pattern)
        response = client.get(url)
        if response.status_code >= 500:
            result.broken.append(f"{url} ({pattern}): {response.status_code}")
            continue
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        result.visits.append(Visit(url=url, pattern=pattern, text=_normal(" ".join(page.text))))
        for href in page.links:
            href, _ = urldefrag(href)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(NOT_PAGES):
                continue
            queue.append(href)
    return result


def _spanish_client(email: str) -> Client:
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="es")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    client.force_login(User.objects.get(email=email))
    return client


@pytest.fixture(scope="module")
def sentences() -> list[Sentence]:
    return english_sentences()


def test_the_catalogue_reader_reads_entries_and_plurals(sentences: list[Sentence]) -> None:
    pairs = dict(read_catalogue())
    assert len(pairs) > 500
    assert any(s.pattern is not None and "%(" not in s.english for s in sentences)


def test_spanish_pages_show_no_english_sentence_the_catalogue_translates(
    sentences: list[Sentence], capsys: Any
) -> None:
    demo_load(seed=7, say=lambda _: None)
    leftovers: dict[str, list[str]] = {}
    english_numbers: dict[str, tuple[str, set[str]]] = {}
    broken: list[str] = []
    visited = 0
    for email in PEOPLE:
        result = walk(_spanish_client(email))
        broken += [f"{email}: {b}" for b in result.broken]
        for visit in result.visits:
            visited += 1
            found = [s.english for s in sentences if s.found_in(visit.text)]
            # A sentence inside a longer one found too is the same leftover: name the longest.
            found = [f for f in found if not any(f != g and f in g for g in found)]
            for english in found:
                leftovers.setdefault(english, []).append(f"{visit.url} ({visit.pattern}) as {email}")
            for number in set(ENGLISH_NUMBER.findall(LICENCE_NAME.sub("", visit.text))) - TYPED_NUMBERS:
                english_numbers.setdefault(visit.pattern, (visit.url, set()))[1].add(number)
    with capsys.disabled():
        print(f"\n{visited} Spanish pages visited as {', '.join(PEOPLE)}")
    assert visited > 40, "the walk reached too few pages: is the demo's home reachable?"
    report = [
        f'"{english}"\n    on ' + "\n    on ".join(sorted(set(pages))[:5])
        for english, pages in leftovers.items()
    ]
    problems = []
    if broken:
        problems.append("Pages that failed:\n" + "\n".join(broken))
    if leftovers:
        problems.append(
            f"{len(leftovers)} English sentences the catalogue translates were shown in Spanish pages:\n"
            + "\n".join(report)
        )
    if english_numbers:
        problems.append(
            "Numbers written the English way (1,234 or 0.50) in Spanish pages:\n"
            + "\n".join(
                f"{url} ({pattern}): {', '.join(sorted(numbers)[:8])}"
                for pattern, (url, numbers) in english_numbers.items()
            )
        )
    assert not problems, "\n\n".join(problems)
