"""Assemble docs/benchmarks.md from docs/benchmarks/: the summary, then each area's section.

The bench scripts write their own section (e.g. `bench_mes.py` → docs/benchmarks/mes.md); the
summary table in docs/benchmarks/summary.md is kept by hand from those sections. `make bench`
runs this last: `.venv/bin/python bench/assemble_benchmarks_doc.py`.
"""

from __future__ import annotations

from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
# The engines first, in this order; then every other area's section (assemblies, budgeting, aid,
# ledger...) alphabetically, so an app's bench script only has to write its own file.
SECTIONS = ("mes", "pb-formats", "stv", "polls", "sortition", "matching", "economy")


def section_names() -> list[str]:
    others = sorted(
        p.stem for p in (DOCS / "benchmarks").glob("*.md") if p.stem not in SECTIONS and p.stem != "summary"
    )
    return [*SECTIONS, *others]


def demoted(text: str) -> str:
    """Each section's title becomes a level-2 heading, its subheadings one level lower."""
    lines = []
    for line in text.strip().splitlines():
        if line.startswith("#"):
            line = "#" + line
        lines.append(line)
    return "\n".join(lines) + "\n"


def main() -> None:
    parts = [(DOCS / "benchmarks" / "summary.md").read_text()]
    for name in section_names():
        path = DOCS / "benchmarks" / f"{name}.md"
        if path.exists():
            parts.append(demoted(path.read_text()))
    (DOCS / "benchmarks.md").write_text("\n".join(parts))
    print(f"{DOCS / 'benchmarks.md'} written from {len(parts)} parts")


if __name__ == "__main__":
    main()
