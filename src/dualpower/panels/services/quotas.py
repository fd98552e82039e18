"""What a panel asks its volunteers and how many of each answer it needs: its features (e.g.
neighbourhood, age band), their values and the quotas, and checking a volunteer's answers
against them.

Volunteers and quotas freeze when sign-up closes: the lottery published then is computed from
them, so every step that changes either locks the panel and checks that it is still open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from dualpower.clean import clean_int, clean_text
from dualpower.errors import InvalidInput
from dualpower.panels.models import Feature, Panel, Quota
from dualpower.panels.selectors import quotas_of

NAME_MAX = 60
VALUE_MAX = 80
SIZE_MAX = 1000
FEATURES_MAX = 8
VALUES_MAX = 30
# Features and their quotas, in the order organisers gave them: {feature: {value: (min, max)}}.
FeatureQuotas = Mapping[str, Mapping[str, tuple[int, int]]]


def _clean_size(size: object) -> int:
    return clean_int(size, field="size", label=_("The panel size"), low=1, high=SIZE_MAX)


def _clean_features(features: Any, size: int) -> list[tuple[str, list[tuple[str, int, int]]]]:
    if not isinstance(features, Mapping) or not features:
        raise InvalidInput(
            _("Give at least one feature with quotas, e.g. neighbourhood or age band."), field="features"
        )
    if len(features) > FEATURES_MAX:
        raise InvalidInput(_("A panel has at most %(n)d features.") % {"n": FEATURES_MAX}, field="features")
    cleaned = []
    seen: set[str] = set()
    for name, values in features.items():
        name = clean_text(name, field="features", limit=NAME_MAX, required=True, label=_("A feature's name"))
        if name.lower() in seen:
            raise InvalidInput(_("The feature “%(f)s” is given twice.") % {"f": name}, field="features")
        seen.add(name.lower())
        if not isinstance(values, Mapping) or len(values) < 2:
            raise InvalidInput(
                _("The feature “%(f)s” needs at least two values to choose from.") % {"f": name},
                field="features",
            )
        if len(values) > VALUES_MAX:
            raise InvalidInput(
                _("The feature “%(f)s” has more than %(n)d values.") % {"f": name, "n": VALUES_MAX},
                field="features",
            )
        rows = []
        seen_values: set[str] = set()
        for value, bounds in values.items():
            value = clean_text(value, field="features", limit=VALUE_MAX, required=True, label=_("A value"))
            if value.lower() in seen_values:
                raise InvalidInput(
                    _("The value “%(v)s” of “%(f)s” is given twice.") % {"v": value, "f": name},
                    field="features",
                )
            seen_values.add(value.lower())
            lo, hi = _bounds(name, value, bounds, size)
            rows.append((value, lo, hi))
        if sum(lo for _, lo, _ in rows) > size:
            raise InvalidInput(
                _("The minimums for “%(f)s” add up to more than the panel size %(n)d.")
                % {"f": name, "n": size},
                field="features",
            )
        if sum(hi for _, _, hi in rows) < size:
            raise InvalidInput(
                _("The maximums for “%(f)s” add up to less than the panel size %(n)d.")
                % {"f": name, "n": size},
                field="features",
            )
        cleaned.append((name, rows))
    return cleaned


def _bounds(feature: str, value: str, bounds: Any, size: int) -> tuple[int, int]:
    ok = (
        isinstance(bounds, list | tuple)
        and len(bounds) == 2
        and all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)
    )
    if not ok or not 0 <= bounds[0] <= bounds[1]:
        raise InvalidInput(
            _("The quota for %(f)s = %(v)s must be two whole numbers: at least, then at most (not less).")
            % {"f": feature, "v": value},
            field="features",
        )
    return bounds[0], min(bounds[1], size)


def _write_features(panel: Panel, features: list[tuple[str, list[tuple[str, int, int]]]]) -> None:
    panel.features.all().delete()
    for i, (name, rows) in enumerate(features):
        feature = Feature.objects.create(panel=panel, name=name, position=i)
        Quota.objects.bulk_create(
            [
                Quota(feature=feature, value=v, min=lo, max=hi, position=j)
                for j, (v, lo, hi) in enumerate(rows)
            ]
        )


def _clean_answers(panel: Panel, answers: Any) -> dict[str, str]:
    if not isinstance(answers, Mapping):
        raise InvalidInput(_("Answer every question."), field="answers")
    quotas = quotas_of(panel)
    unknown = set(answers) - set(quotas)
    if unknown:
        raise InvalidInput(
            _("This panel does not ask about: %(f)s.") % {"f": ", ".join(sorted(map(str, unknown)))},
            field="answers",
        )
    cleaned = {}
    for feature, values in quotas.items():
        answer = answers.get(feature)
        if answer not in values:
            raise InvalidInput(
                _("For “%(f)s”, choose one of: %(v)s.") % {"f": feature, "v": ", ".join(values)},
                field=feature,
            )
        cleaned[feature] = str(answer)
    return cleaned
