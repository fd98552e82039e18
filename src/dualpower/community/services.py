"""Writes for a community: creating and changing it, and the audit log."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict, Unpack

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community import hooks
from dualpower.community.models import AuditEntry, Community
from dualpower.errors import InvalidInput

if TYPE_CHECKING:  # the audit log's actor is a membership (members sits above the community)
    from dualpower.members.models import Membership


def audit_record(
    *,
    community: Community | None,
    actor: Membership | None,
    action: str,
    target: models.Model | None = None,
    summary: str = "",
    data: Mapping[str, object] | None = None,
    decision_ref: str = "",
) -> AuditEntry:
    """Append one entry to the audit log. Call it inside the service's transaction."""
    return AuditEntry.objects.create(
        community=community,
        actor=actor,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:300],
        data=dict(data or {}),
        decision_ref=decision_ref,
    )


def changes_save(
    *,
    target: models.Model,
    changes: Mapping[str, object],
    community: Community | None,
    actor: Membership | None,
    action: str,
    summary: str = "",
) -> dict[str, Any]:
    """Save the fields of ``target`` that ``changes`` really changes, with one audit entry holding
    their values before and after; returns what changed (empty: nothing was written).

    The one way an update service records itself: call it, inside the service's transaction,
    with values already checked.
    """
    before = {key: getattr(target, key) for key in changes}
    changed = {key: value for key, value in changes.items() if before[key] != value}
    if not changed:
        return changed
    for key, value in changed.items():
        setattr(target, key, value)
    target.save(update_fields=list(changed))
    audit_record(
        community=community,
        actor=actor,
        action=action,
        target=target,
        summary=summary or ", ".join(sorted(changed)),
        data={"before": {key: before[key] for key in changed}, "after": changed},
    )
    return changed


@transaction.atomic
def community_create(
    *,
    name: str,
    slug: str = "",
    description: str = "",
    languages: Sequence[str] = ("en",),
    admission: str = Community.Admission.COORDINATORS,
    trust_threshold: int = 3,
    application_questions: Sequence[str] = (),
    with_group_templates: bool = True,
) -> Community:
    """Create a community; by default with the starter working groups (housing, health...).

    What else a new community starts with is set up by the apps that registered with
    ``hooks.on_community_created``, inside this transaction.
    """
    name = _clean_change("name", name)
    slug = slugify(slug or name)[:60]
    if not slug:
        raise InvalidInput(_("Choose a short name made of letters or digits."), field="slug")
    if Community.objects.filter(slug=slug).exists():
        raise InvalidInput(
            _("A community called “%(slug)s” already exists on this node.") % {"slug": slug}, field="slug"
        )
    community = Community.objects.create(
        name=name,
        slug=slug,
        description=description,
        languages=_clean_languages(list(languages)),
        admission=_clean_change("admission", admission),
        trust_threshold=_clean_change("trust_threshold", trust_threshold),
        application_questions=_clean_questions(list(application_questions)),
    )
    audit_record(community=community, actor=None, action="community.create", target=community, summary=name)
    hooks.community_created(
        hooks.CommunityCreated(community=community, with_group_templates=with_group_templates)
    )
    return community


# What coordinators may change on a community, and the limits the pages and the API share.
NAME_MAX = 120
DESCRIPTION_MAX = 5000
LANGUAGES_MAX = 20
QUESTIONS_MAX = 20
QUESTION_MAX = 500
TRUST_THRESHOLD_MAX = 100
# A language code as people write it: "en", "es", "pt-BR", "zh-Hant" (BCP 47, simplified).
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")
CHANGEABLE = frozenset(
    {"name", "description", "languages", "admission", "trust_threshold", "application_questions", "is_public"}
)


def _clean_languages(value: object) -> list[str]:
    if not isinstance(value, list | tuple):
        raise InvalidInput(_("Languages are a list of codes such as “en” or “es”."), field="languages")
    codes: list[str] = []
    for raw in value:
        code = str(raw).strip().lower().replace("_", "-") if isinstance(raw, str) else ""
        if not LANGUAGE_CODE.match(code):
            raise InvalidInput(
                _("“%(code)s” is not a language code such as “en” or “es”.") % {"code": str(raw)[:20]},
                field="languages",
            )
        if code not in codes:
            codes.append(code)
    if len(codes) > LANGUAGES_MAX:
        raise InvalidInput(_("At most %(n)d languages.") % {"n": LANGUAGES_MAX}, field="languages")
    return codes


def _clean_questions(value: object) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(q, str) for q in value):
        raise InvalidInput(_("Questions for applicants are a list of texts."), field="application_questions")
    questions = [
        clean_text(q, field="application_questions", label=_("A question"), limit=QUESTION_MAX) for q in value
    ]
    questions = [q for q in questions if q]
    if len(questions) > QUESTIONS_MAX:
        raise InvalidInput(
            _("Ask applicants at most %(n)d questions.") % {"n": QUESTIONS_MAX}, field="application_questions"
        )
    return questions


def _clean_change(key: str, value: Any) -> Any:
    if value is None:
        raise InvalidInput(_("%(field)s cannot be empty.") % {"field": key}, field=key)
    if key == "name":
        return clean_text(value, field="name", label=_("A community's name"), limit=NAME_MAX, required=True)
    if key == "description":
        return clean_text(value, field="description", label=_("A description"), limit=DESCRIPTION_MAX)
    if key == "languages":
        return _clean_languages(value)
    if key == "application_questions":
        return _clean_questions(value)
    if key == "admission":
        if value not in Community.Admission.values:
            raise InvalidInput(
                _("Admission must be one of: %(values)s.")
                % {"values": ", ".join(Community.Admission.values)},
                field="admission",
            )
        return str(value)
    if key == "trust_threshold":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= TRUST_THRESHOLD_MAX:
            raise InvalidInput(
                _("The trust needed is a whole number from 1 to %(n)d.") % {"n": TRUST_THRESHOLD_MAX},
                field="trust_threshold",
            )
        return value
    if key == "is_public":
        if not isinstance(value, bool):
            raise InvalidInput(
                _("Say whether the community is listed publicly: true or false."), field="is_public"
            )
        return value
    raise InvalidInput(_("%(field)s cannot be changed here.") % {"field": key}, field=key)


class CommunityChanges(TypedDict, total=False):
    """What ``community_update`` may change (``CHANGEABLE``)."""

    name: str
    description: str
    languages: list[str]
    admission: str
    trust_threshold: int
    application_questions: list[str]
    is_public: bool


@transaction.atomic
def community_update(
    *, community: Community, actor_user: AbstractBaseUser | AnonymousUser, **changes: Unpack[CommunityChanges]
) -> Community:
    """Change the community's name, description or policy; recorded in the audit log.

    Everything is checked before anything is written: a bad value changes nothing.
    """
    unknown = set(changes) - CHANGEABLE
    if unknown:
        key = sorted(unknown)[0]
        raise InvalidInput(_("%(field)s cannot be changed here.") % {"field": key}, field=key)
    cleaned = {key: _clean_change(key, value) for key, value in changes.items()}
    changes_save(
        target=community,
        changes=cleaned,
        community=community,
        actor=hooks.actor_for(actor_user, community),
        action="community.update",
    )
    return community
