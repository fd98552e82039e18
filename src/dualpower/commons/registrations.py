"""Everything the commons app registers, in one place (imported by ``AppConfig.ready()``):

- with federation: what Create / Update / Delete of a guide (an AS2 ``Document``) from another
  community does (receiving.py). "Delete(Document)" is reached because our Delete names the
  object inline with its type; a Delete by id alone stays federation's (handlers_notes.py);
- with assemblies: the action ``commons.adopt`` (a guide adopted by a decision);
- its menu entry, audit sentences, permissions and demo guides.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from dualpower import demo as demo_registry
from dualpower.assemblies.actions import ActionKind, Need
from dualpower.assemblies.actions import register as register_action
from dualpower.commons import actions, demo, receiving, selectors
from dualpower.commons import audit as _audit  # noqa: F401 - registers its audit sentences on import
from dualpower.commons import rules as _rules  # noqa: F401 - registers the permissions on import
from dualpower.commons.objects import OBJECT_TYPE
from dualpower.federation.handlers import handler
from dualpower.web import navigation

handler(f"Create({OBJECT_TYPE})")(receiving.guide_received)
handler(f"Update({OBJECT_TYPE})")(receiving.guide_received)
handler(f"Delete({OBJECT_TYPE})")(receiving.guide_deleted)

register_action(
    ActionKind(
        key="commons.adopt",
        label=_("Adopt a guide from the knowledge commons"),
        validate=actions.validate_adopt,
        run=actions.run_adopt,
        describe=actions.describe_adopt,
        needs=(Need("guide", _("Which guide (as it is now)"), options=selectors.guides_to_adopt),),
    )
)
navigation.register(
    "commons", _("Knowledge commons"), "commons:list", order=90, group="community", perm="commons.view"
)
demo_registry.register(demo.load_commons)
