"""`dualpower demo`: a believable community to try dualpower with, built through the services.

Deterministic: the same seed gives the same people, neighbourhoods, skills and groups. Two accounts
have known passwords (printed by `make run`); every other demo account has no usable password.

Apps add their own demo data (assemblies, aid requests...) by registering a loader with
``dualpower.demo`` (the registry, a base module). Loaders run in registration order, after the
community and its people exist, inside one transaction with the rest of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from django.db import transaction

from dualpower import demo as registry
from dualpower.assemblies.demo import DECIDE_NOW
from dualpower.community.models import Community
from dualpower.community.selectors import community_find
from dualpower.demo import DEMO_SLUG, LOGINS, Demo


class DemoExists(Exception):
    pass


def demo_community() -> Community | None:
    return community_find(slug=DEMO_SLUG)


@transaction.atomic
def demo_load(*, seed: int = 7, say: Callable[[str], None] = print) -> Demo:
    """Create the demo community with its people and groups, then run the registered loaders."""
    from dualpower.ops import demo_people

    if demo_community() is not None:
        raise DemoExists("The demo community is already loaded.")
    rng = random.Random(seed)
    demo = demo_people.build(rng=rng, say=say)
    for loader in registry.LOADERS:
        loader(demo)
    return demo


def logins_text() -> str:
    lines = ["Demo logins (community “/c/demo/”):"]
    for role, email, password in LOGINS:
        lines.append(f"  {role:<12} {email:<28} password: {password}")
    lines += [
        "See a decision take effect: sign in as the coordinator and open Assemblies → General assembly",
        f"  → “{DECIDE_NOW}”. Everyone else has voted: vote, then press",
        "  “Close the vote now” (or close it early without voting, giving a reason). The outcome",
        "  shows at once and its action changes the assembly's policy to three days of discussion.",
    ]
    return "\n".join(lines)
