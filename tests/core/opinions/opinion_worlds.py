"""Made-up conversations with opinion camps planted in them, for the engine's tests and bench."""

from __future__ import annotations

import numpy as np

from dualpower.core.opinions import Votes


def planted(
    *,
    people: int,
    statements: int,
    camps: int,
    seed: int,
    density: float = 0.8,
    loyalty: float = 0.9,
    passes: float = 0.05,
) -> tuple[Votes, np.ndarray]:
    """Votes of ``people`` split into ``camps``; each camp leans agree or disagree on every
    statement and its members follow the lean with probability ``loyalty``. Returns the votes and
    each person's camp. Each person votes at most once on a statement, in a shuffled order."""
    rng = np.random.default_rng(seed)
    camp = np.arange(people) % camps
    lean = rng.choice([-1, 1], size=(camps, statements))
    voted = rng.random((people, statements)) < density
    voted[:, :3] = True  # everyone sees the first statements: nobody is left out for too few votes
    follow = rng.random((people, statements)) < loyalty
    values = np.where(follow, lean[camp], -lean[camp])
    values = np.where(rng.random((people, statements)) < passes, 0, values)
    person, statement = np.nonzero(voted)
    order = rng.permutation(len(person))
    person, statement = person[order], statement[order]
    votes = Votes(
        participant_ids=tuple(f"p{i}" for i in range(people)),
        statement_ids=tuple(str(s) for s in range(statements)),
        participant=person.astype(np.int64),
        statement=statement.astype(np.int64),
        vote=values[person, statement].astype(np.int64),
    )
    return votes, camp


def large(*, people: int, statements: int, density: float, seed: int = 1) -> Votes:
    """A big conversation (three camps), each person voting once on ``density`` of the
    statements, as a database holding each person's last vote would give them."""
    rng = np.random.default_rng(seed)
    per_person = max(1, int(statements * density))
    person = np.repeat(np.arange(people), per_person)
    start = rng.integers(0, statements, people)
    # a stride coprime with the number of statements: per_person distinct statements each
    strides = np.array([s for s in range(1, 4 * statements) if np.gcd(s, statements) == 1])
    stride = rng.choice(strides[strides < statements], people)
    step = np.tile(np.arange(per_person), people)
    statement = (start[person] + step * stride[person]) % statements
    camp = rng.integers(0, 3, people)
    lean = rng.normal(0, 1, (3, statements))
    p_agree = 1 / (1 + np.exp(-2 * lean[camp[person], statement]))
    vote = np.where(rng.random(len(person)) < p_agree, 1, -1)
    vote[rng.random(len(person)) < 0.15] = 0
    return Votes(
        participant_ids=tuple(str(i) for i in range(people)),
        statement_ids=tuple(str(s) for s in range(statements)),
        participant=person.astype(np.int64),
        statement=statement.astype(np.int64),
        vote=vote.astype(np.int64),
    )
