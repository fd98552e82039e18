"""Querysets whose SQL is worked out once per process and run again with new values.

Building a query through the ORM (``filter`` clones, the compiler's joins, columns and ordering)
costs ten to fifty times what running it costs on SQLite: 0.5–1.4 ms of CPU for a page's list of
proposals or meetings against 0.02 ms to run it. A page that asks the same question on every
request, only with another assembly or another moment, pays that on every request. ``Prepared``
builds the queryset once (per database vendor), keeps its SQL and the compiler that knows how its
columns become model instances (``select_related`` included), and on each call runs the SQL with
the call's values and makes the instances as the ORM's own iterator makes them.

What a call returns is made afresh from rows read from the database, or, within a request, from
the rows the same query with the same values gave while nothing has been written since
(web/fragments.py, ``kept_rows``): a query of moments (a ``datetime`` value) is always read.

    _open = Prepared(
        lambda assembly: Proposal.objects.filter(assembly_id=assembly, state="voting").order_by("id")[:26],
        assembly=int,
    )
    rows = _open(assembly=a.pk)

The values a call may change are named with their kind: ``int`` (ids, numbers), ``str`` (slugs,
states) or ``datetime`` (moments). They are found in the compiled query's parameters by building
the queryset twice with two sets of stand-in values; a value the query transforms (``__icontains``
wraps it in ``%``) or uses twice differently cannot be found so, and ``Prepared`` refuses it when
first run rather than send a wrong query. What varies otherwise (a limit, a list of states) belongs
to the shape: give it to the builder as a constant, or use one ``Prepared`` per shape. Querysets
with ``prefetch_related``, ``values()`` or ``annotate`` over relations of other rows stay
ordinary querysets; ``annotate`` of plain expressions works (its values land on the instances).

A page of rows: ``Prepared(build, window=True, ...)`` with an unsliced queryset, and each call
gives ``limit`` and ``offset`` (the ORM writes a slice into the SQL's text, so one SQL per page
would be kept otherwise); an offset of 0 sends ``LIMIT`` alone, as the ORM's ``[:n]`` does (keyset
pages always start there). ``count(**values)`` counts the query's rows (without its order or a
window) with SQL also written once.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

from dualpower.web import fragments

M = TypeVar("M", bound=Model)

_KINDS: tuple[type, ...] = (int, str, dt.datetime)


def _stand_in(kind: type, which: int, index: int) -> Any:
    """A value of ``kind`` no real query uses, different for each ``which`` (0, 1) and ``index``."""
    if kind is int:
        return -(10**12) - 1000 * which - index
    if kind is str:
        return f"\x01dp-prepared-{which}-{index}\x01"
    return dt.datetime(1901 + which, 1, 1, 0, 0, index, tzinfo=dt.UTC)


class _Plan:
    """One vendor's SQL, the positions of the call's values in its parameters, and the compiler."""

    def __init__(self, build: Callable[..., QuerySet[Any]], kinds: dict[str, type], window: bool) -> None:
        names = list(kinds)
        compiled = []
        for which in (0, 1):
            values = {n: _stand_in(kinds[n], which, i) for i, n in enumerate(names)}
            queryset = build(**values)
            prefetches = queryset._prefetch_related_lookups  # type: ignore[attr-defined]
            if prefetches or queryset._iterable_class is not ModelIterable:
                raise ValueError("Prepared takes querysets of model instances without prefetch_related")
            if window and queryset.query.is_sliced:
                raise ValueError("Prepared with window=True takes an unsliced queryset")
            compiler = queryset.query.get_compiler(using=queryset.db)
            sql, params = compiler.as_sql()
            compiled.append((values, sql, list(params), compiler))
        (first, sql, params, compiler), (second, sql2, params2, _c) = compiled
        if sql != sql2 or len(params) != len(params2):
            raise ValueError("Prepared: the query's shape changes with its values")
        self.sql = f"{sql} LIMIT %s OFFSET %s" if window else sql
        self.first_sql = f"{sql} LIMIT %s"  # a window from the first row: no OFFSET to walk
        # How many rows the query gives (``count``: "N people" beside a page of them): the same
        # query without its order, of the ids alone, when its parameters stay where they were.
        self.count_sql: str | None = None
        if not compiler.query.is_sliced:  # a slice's order is part of what it gives
            counted = [
                q.order_by().values("pk").query.get_compiler(using=q.db).as_sql()
                for q in (build(**values) for values, *_rest in compiled)
            ]
            if all(list(p) == c[2] for (_s, p), c in zip(counted, compiled, strict=True)):
                self.count_sql = f"SELECT COUNT(*) FROM ({counted[0][0]}) counted"  # noqa: S608  # the ORM's
        self.window = window
        self.constants = params
        self.slots: list[tuple[int, str]] = []  # (position in the parameters, name of the value)
        adapt = {n: self._adapter(kinds[n]) for n in names}
        for position, (a, b) in enumerate(zip(params, params2, strict=True)):
            if a == b:
                continue  # a constant of the shape
            found = [n for n in names if adapt[n](first[n]) == a and adapt[n](second[n]) == b]
            if len(found) != 1:
                raise ValueError(f"Prepared: parameter {position} is not one of the values as given")
            self.slots.append((position, found[0]))
        self.adapt = adapt
        # Its rows may be kept (web/fragments.py) under the query and its values: not for a query of
        # moments (each call asks with another "now"), nor one whose constants cannot be a key.
        self.keep = dt.datetime not in kinds.values() and _hashable(params)
        self.compiler = compiler
        self.db = compiler.using
        klass_info, select = compiler.klass_info, compiler.select
        assert klass_info is not None
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = compiler.get_converters([s[0] for s in select[0 : compiler.col_count]])
        # get_related_populators makes fresh populators; they keep no rows between calls.
        self.klass_info, self.select = klass_info, select

    @staticmethod
    def _adapter(kind: type) -> Callable[[Any], Any]:
        if kind is dt.datetime:
            return lambda value: connection.ops.adapt_datetimefield_value(value)
        return lambda value: value

    def params(self, values: dict[str, Any]) -> list[Any]:
        params = list(self.constants)
        for position, name in self.slots:
            params[position] = self.adapt[name](values[name])
        return params

    def count(self, values: dict[str, Any]) -> int:
        if self.count_sql is None:
            raise ValueError("Prepared: this query cannot be counted without its order and columns")
        return int(self._rows(self.count_sql, self.params(values))[0][0])

    def _rows(self, sql: str, params: list[Any]) -> fragments.Rows:
        def read() -> fragments.Rows:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        if not self.keep:
            return read()
        return fragments.kept_rows((sql, *params), read)

    def run(self, values: dict[str, Any]) -> list[Any]:
        params = self.params(values)
        sql = self.sql
        if self.window and values["offset"] == 0:
            sql = self.first_sql
            params.append(values["limit"])
        elif self.window:
            params += [values["limit"], values["offset"]]
        rows = self._rows(sql, params)
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        # Django 5.2's signature (the stubs describe a later one).
        populators = get_related_populators(self.klass_info, self.select, self.db)  # type: ignore[call-arg]
        found = []
        for row in rows:
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in populators:
                populator.populate(row, obj)
            for attr, index in self.annotations:
                setattr(obj, attr, row[index])
            found.append(obj)
        return found


def _hashable(values: list[Any]) -> bool:
    try:
        hash(tuple(values))
    except TypeError:
        return False
    return True


class Prepared(Generic[M]):
    """``build(**values)`` → a queryset; calling the Prepared with those values gives its rows as a
    list, the SQL written once per process and database vendor (see the module's text)."""

    def __init__(self, build: Callable[..., QuerySet[M]], *, window: bool = False, **kinds: type) -> None:
        if window and {"limit", "offset"} & kinds.keys():
            raise TypeError("Prepared: limit and offset are the window's")
        for name, kind in kinds.items():
            if kind not in _KINDS:
                raise TypeError(f"Prepared: {name} must be int, str or datetime, not {kind!r}")
        self.build = build
        self.kinds = kinds
        self.window = window
        self._plans: dict[str, _Plan] = {}
        self._lock = threading.Lock()

    def plan(self) -> _Plan:
        vendor = connection.vendor
        found = self._plans.get(vendor)
        if found is None:
            with self._lock:
                found = self._plans.get(vendor) or _Plan(self.build, self.kinds, self.window)
                self._plans[vendor] = found
        return found

    def count(self, **values: Any) -> int:
        """How many rows the query gives for ``values`` (the whole query, not a window of it): the
        ORM's ``count()`` with the SQL written once."""
        self._check(values, window=False)
        return self.plan().count(values)

    def __call__(self, **values: Any) -> list[M]:
        self._check(values, window=self.window)
        return self.plan().run(values)

    def _check(self, values: dict[str, Any], *, window: bool) -> None:
        expected = {*self.kinds, "limit", "offset"} if window else self.kinds.keys()
        if values.keys() != expected:
            raise TypeError(f"Prepared takes exactly {sorted(expected)}")
        edges = ("limit", "offset") if window else ()
        if not all(isinstance(values[k], int) and values[k] >= 0 for k in edges):
            raise TypeError("Prepared: limit and offset are whole numbers")
        for name, kind in self.kinds.items():
            value = values[name]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise TypeError(f"Prepared: {name} must be {kind.__name__}")
