"""Read a Polis export folder (comments.csv, votes.csv) into ``Votes``.

votes.csv: timestamp, datetime, comment-id, voter-id, vote (1 agree, −1 disagree, 0 pass);
comments.csv: ..., comment-id, ..., moderated (−1 moderated out, 0 unmoderated, 1 accepted), ...
Polis also leaves out of the map the statements its moderators marked *meta* (``is_meta``: about the
participants themselves, e.g. "I voted to Leave"), but its export does not say which: ``meta`` names
them, and they are treated as Polis treats them, like moderated-out statements.
Each problem is one sentence naming the file and line (``OpinionsError``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from dualpower.core.opinions.model import OpinionsError, Votes

VOTE_COLUMNS = ("comment-id", "voter-id", "vote")
COMMENT_COLUMNS = ("comment-id", "moderated")


def _rows(path: Path, needed: tuple[str, ...]) -> list[dict[str, str]]:
    if not path.is_file():
        raise OpinionsError(f"{path} is missing: a Polis export folder has {path.name}.")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            absent = [c for c in needed if c not in header]
            if absent:
                raise OpinionsError(f"{path.name} has no column {', '.join(absent)}: is this a Polis export?")
            return list(reader)
    except UnicodeDecodeError:
        raise OpinionsError(f"{path.name} is not UTF-8 text.") from None
    except csv.Error as error:
        raise OpinionsError(f"{path.name} is not readable CSV ({error}).") from None


def read_folder(folder: str | Path, *, meta: tuple[str, ...] | frozenset[str] = ()) -> Votes:
    folder = Path(folder)
    if not folder.is_dir():
        raise OpinionsError(f"{folder} is not a folder: give the folder of a Polis export.")
    comments = _rows(folder / "comments.csv", COMMENT_COLUMNS)
    moderated_out = set()
    for line, row in enumerate(comments, start=2):
        tid = (row.get("comment-id") or "").strip()
        if not tid:
            raise OpinionsError(f"comments.csv line {line} has no comment-id.")
        if (row.get("moderated") or "").strip() == "-1":
            moderated_out.add(tid)
    known = {(row.get("comment-id") or "").strip() for row in comments}
    for tid in meta:
        if tid not in known:
            raise OpinionsError(f"comments.csv has no statement {tid}: a meta statement must be one of them.")
    moderated_out |= set(meta)
    votes = _rows(folder / "votes.csv", VOTE_COLUMNS)
    stamped = []
    for line, row in enumerate(votes, start=2):
        voter, tid, value = (row.get(c) or "" for c in ("voter-id", "comment-id", "vote"))
        if not voter.strip() or not tid.strip():
            raise OpinionsError(f"votes.csv line {line} has no voter-id or comment-id.")
        try:
            vote = int(float(value))
        except ValueError:
            raise OpinionsError(f"votes.csv line {line}: the vote {value!r} is not a number.") from None
        if vote not in (-1, 0, 1):
            raise OpinionsError(f"votes.csv line {line}: the vote {vote} is not 1, 0 or -1.")
        stamp = row.get("timestamp") or ""
        try:
            when = float(stamp) if stamp.strip() else float(line)
        except ValueError:
            raise OpinionsError(f"votes.csv line {line}: the timestamp {stamp!r} is not a number.") from None
        stamped.append((when, line, voter.strip(), tid.strip(), vote))
    stamped.sort()  # oldest first, so the last vote of a person on a statement is the one kept
    built = Votes.from_triples(
        [(v, t, x) for _, _, v, t, x in stamped],
        moderated_out=moderated_out,
        timestamps=[w for w, *_ in stamped],
    )
    return built


def polis_groups(folder: str | Path) -> dict[str, int]:
    """Polis' own groups from participants-votes.csv (participant → group-id), for comparison."""
    rows = _rows(Path(folder) / "participants-votes.csv", ("participant", "group-id"))
    return {r["participant"]: int(r["group-id"]) for r in rows if (r["group-id"] or "").strip()}


def adjusted_rand_index(a: list[int], b: list[int]) -> float:
    """Hubert and Arabie's adjusted Rand index of two labelings of the same items."""
    if len(a) != len(b):
        raise OpinionsError("The two labelings have different lengths.")
    n = len(a)
    if n < 2:
        return 1.0
    _, ia = np.unique(np.asarray(a), return_inverse=True)
    _, ib = np.unique(np.asarray(b), return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(table, (ia, ib), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index = pairs(table)
    rows, cols = pairs(table.sum(1)), pairs(table.sum(0))
    expected = rows * cols / (n * (n - 1) / 2)
    top = (rows + cols) / 2
    if top == expected:
        return 1.0
    return (index - expected) / (top - expected)
