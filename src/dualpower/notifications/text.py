"""Texts told later, in the reader's language.

A notification is read days after it was sent, by someone whose language need not be the one the
sending request (or background job) ran in. So ``notification_send`` keeps a ``Text``: the
untranslated message (its msgid) and its values; the page, the API and the email translate it when
read (``render``), as the audit log does with its sentences::

    text(gettext_lazy("Meeting scheduled: %(title)s"), title=meeting.title)
    text(ngettext_lazy("%(n)d day left", "%(n)d days left", "n"), n=days)

A value may be plain (a name, a code, a number), a moment (``datetime``/``date``: written the
reader's way when read), an amount of money (``Money``: written in the reader's format), a
translatable label (``gettext_lazy``) or another ``text(...)``; the last two are translated when
read too. A message given as an already translated ``str`` is kept
as it is (translated again if it happens to be a msgid).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise

from dualpower.formatting import format_date, format_datetime, format_money

# One part (a title, a body) as stored: {"msgid", "values"?, "plural"?, "number"?, "context"?}.
Spec = dict[str, Any]


@dataclass(frozen=True)
class Text:
    """An untranslated message and its values; ``str()`` renders it in the active language."""

    msgid: str
    values: Mapping[str, Any] = field(default_factory=dict)  # already stored-shaped (JSON)
    plural: str = ""
    number: str | int | None = None  # the count, or the name of the value that holds it
    context: str = ""

    def spec(self) -> Spec:
        spec: Spec = {"msgid": self.msgid}
        if self.values:
            spec["values"] = dict(self.values)
        if self.plural:
            spec["plural"] = self.plural
            spec["number"] = self.number
        if self.context:
            spec["context"] = self.context
        return spec

    def __str__(self) -> str:
        return render(self.spec())


def text(message: Any, /, **values: Any) -> Text:
    """``message`` (best a ``gettext_lazy``/``ngettext_lazy``/``pgettext_lazy`` text, or an
    untranslated msgid) with its ``%(name)s`` values, to be translated when read."""
    parts = _message_parts(message)
    return Text(values={key: _stored(value) for key, value in values.items()}, **parts)


def as_text(message: Any) -> Text | None:
    """A ``Text`` for what a caller gave as a title or body: a ``Text`` as is, a lazy
    translation as its msgid, a plain (already rendered) ``str`` as None: it is shown as stored."""
    if isinstance(message, Text):
        return message
    if isinstance(message, Promise):
        return text(message)
    return None


def _message_parts(message: Any) -> dict[str, Any]:
    if isinstance(message, Text):
        return {
            "msgid": message.msgid,
            "plural": message.plural,
            "number": message.number,
            "context": message.context,
        }
    if not isinstance(message, Promise):
        return {"msgid": str(message)}
    # A lazy translation says what it is made of through the pickle protocol: the function and
    # its arguments (gettext_lazy, pgettext_lazy, and the ngettext_lazy kinds).
    try:
        reduced: Any = message.__reduce__()
        args: tuple[Any, ...] = tuple(reduced[1])
        if len(args) == 4 and isinstance(args[3], dict):  # ngettext_lazy(s, p, "name")
            func, _resultclass, number, kwargs = args
        else:  # (func, args, kwargs, *resultclasses)
            func, fargs, kwargs = args[0], tuple(args[1]), dict(args[2])
            names = {
                translation.gettext: ("message",),
                translation.pgettext: ("context", "message"),
                translation.ngettext: ("singular", "plural", "number"),
                translation.npgettext: ("context", "singular", "plural", "number"),
            }.get(func)
            if names is None:
                raise TypeError
            kwargs = {**dict(zip(names, fargs, strict=False)), **kwargs}
            number = kwargs.get("number")
        if func in (translation.ngettext, translation.npgettext):
            return {
                "msgid": kwargs["singular"],
                "plural": kwargs["plural"],
                "number": number,
                "context": kwargs.get("context", ""),
            }
        if func in (translation.gettext, translation.pgettext):
            return {"msgid": kwargs["message"], "context": kwargs.get("context", "")}
    except (AttributeError, IndexError, KeyError, TypeError, ValueError):
        pass
    with translation.override(None):  # untranslated: the msgid
        return {"msgid": str(message)}


@dataclass(frozen=True)
class Money:
    """An amount as a value of a text: ``units`` of a currency with ``decimals`` places and
    ``symbol`` (or minutes of a time bank), written in the reader's format when read."""

    units: int
    decimals: int = 2
    symbol: str = ""
    is_time_bank: bool = False

    @classmethod
    def of(cls, units: int, currency: Any) -> Money:
        """``units`` of a ledger currency (anything with ``decimals``, ``symbol``, ``is_time_bank``)."""
        return cls(int(units), int(currency.decimals), str(currency.symbol), bool(currency.is_time_bank))


def _stored(value: Any) -> Any:
    """A value as JSON that ``_shown`` turns back into words when read."""
    if value is None or isinstance(value, bool | int | float | str):  # a lazy text is no str
        return value
    if isinstance(value, Text | Promise):
        return {"text": (value if isinstance(value, Text) else text(value)).spec()}
    if isinstance(value, Money):
        return {"money": [value.units, value.decimals, value.symbol, value.is_time_bank]}
    if isinstance(value, dt.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    return str(value)  # a Decimal, a code, a name


def _shown(value: Any) -> Any:
    if isinstance(value, dict):
        if "text" in value:
            return render(value["text"])
        if "money" in value:
            units, decimals, symbol, time_bank = value["money"]
            return format_money(units, Money(units, decimals, symbol, time_bank))
        if "datetime" in value:
            return format_datetime(dt.datetime.fromisoformat(value["datetime"]))
        if "date" in value:
            return format_date(dt.date.fromisoformat(value["date"]))
        return ""
    return value


def render(spec: Spec) -> str:
    """A stored part in the active language. A translation that does not fit its values (a
    placeholder mistyped in a catalogue) falls back to the original text rather than failing."""
    msgid = str(spec.get("msgid", ""))
    values = {key: _shown(value) for key, value in (spec.get("values") or {}).items()}
    context = spec.get("context") or ""
    plural = spec.get("plural") or ""
    if plural:
        number = spec.get("number")
        count = values.get(number, 0) if isinstance(number, str) else number
        try:
            count = int(count or 0)
        except (TypeError, ValueError):
            count = 0
        if context:
            message = translation.npgettext(context, msgid, plural, count)
        else:
            message = translation.ngettext(msgid, plural, count)
        original = msgid if count == 1 else plural
    else:
        message = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
        original = msgid
    if not values:
        return message
    for candidate in (message, original):
        try:
            return candidate % values
        except (KeyError, ValueError, TypeError):
            continue
    return original
