"""Categories a community adds to the built-in list (selectors.BUILTIN_CATEGORIES)."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.aid.models import AidCategory
from dualpower.aid.selectors import categories_for
from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict
from dualpower.members.models import Membership


@transaction.atomic
def aid_category_add(*, community: Community, name: str, by: Membership | None) -> AidCategory:
    name = clean_text(name, field="name", label=_("Category"), limit=80, required=True)
    key = slugify(name)[:40] or "category"
    if key in dict(categories_for(community)) or any(
        n.lower() == name.lower() for _k, n in categories_for(community)
    ):
        raise Conflict(_("There is already a category called “%(name)s”.") % {"name": name})
    category = AidCategory.objects.create(community=community, key=key, name=name)
    audit_record(community=community, actor=by, action="aid.category.add", target=category, summary=name)
    return category
