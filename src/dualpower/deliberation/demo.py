"""A demo deliberation in the general assembly: two opinion groups over an empty lot, and
statements both agree on, so the map, the groups and the consensus all have something to show.
The demo member has voted on half the statements: the vote card still has some for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dualpower.assemblies import bodies
from dualpower.deliberation import mapping, services

if TYPE_CHECKING:
    from dualpower.demo import Demo

QUESTION = "What should we do with the empty lot on Alder Street?"
# (statement, how the garden side votes, how the housing side votes): 1 agree, -1 disagree, 0 pass.
STATEMENTS = (
    ("A community garden would feed families on our blocks.", 1, -1),
    ("The lot should grow food before anything else.", 1, -1),
    ("Raised beds can be moved if housing comes later.", 1, 0),
    ("Families doubled up in one room need homes first.", -1, 1),
    ("The land trust should build four homes on the lot.", -1, 1),
    ("A garden is a luxury while rents keep rising.", -1, 1),
    ("Whatever we do, the city must not sell the lot to a developer.", 1, 1),
    ("Neighbours on Alder Street should be asked before anything is built.", 1, 1),
    ("The assembly should decide by the end of spring.", 1, 0),
    ("We should ask the land trust to hold the lot for us.", 1, 1),
)


def load_deliberation(demo: Demo) -> None:
    assembly = demo.extra.get("general_assembly")
    if assembly is None:
        return
    deliberation = services.deliberation_open(
        assembly=assembly,
        by=demo.coordinator,
        question=QUESTION,
        description="The city may put the lot up for sale in the summer. Before anyone writes a motion, "
        "say what you think and vote on what others said.",
        seeds=[text for text, _garden, _housing in STATEMENTS],
    )
    statements = list(deliberation.statements.order_by("number"))
    voters = [p for p in demo.members if p.pk != demo.member.pk and bodies.is_voter(assembly, p)]
    for i, person in enumerate(voters):
        garden_side = i % 5 < 3
        for statement, (_text, garden, housing) in zip(statements, STATEMENTS, strict=True):
            if demo.rng.random() < 0.15:
                continue  # nobody votes on everything
            value = garden if garden_side else housing
            if demo.rng.random() < 0.1:
                value = 0
            services.vote_cast(
                statement=statement, by=person, value={1: "agree", -1: "disagree", 0: "pass"}[value]
            )
    for statement in statements[:5]:
        services.vote_cast(statement=statement, by=demo.member, value="agree")
    mapping.map_refresh(deliberation_id=deliberation.pk)
