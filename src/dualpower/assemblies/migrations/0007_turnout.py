"""Each proposal's turnout among the general voters, kept by the database itself.

``assemblies_turnout`` holds, per proposal, how many open votes and how many secret-ballot
participations are by people who vote in a general assembly now (an active member or
coordinator). Triggers move it inside the statement that casts or withdraws a vote, and when a
membership's role or status changes (a voter who leaves, or becomes an observer, takes their votes
out of it; one who comes back brings them again). "How many have not voted yet" in a general
assembly is then the roll's count (members 0007) less this row: two reads of a few rows, never a
count over 50,000 voters. A proposal gets its row when it is written; the rows of proposals already
there are counted once here. A restore holds the insert triggers off while it loads
(dualpower.ops.triggers): the turnout it loads already counts the votes.
"""

import django.db.models.deletion
from django.db import migrations, models

from dualpower.migration_sql import vendor_sql

# Who votes in a general assembly (assemblies.bodies._general_voters), as a condition on a
# membership row.
ELIGIBLE = "({m}.status = 'active' AND {m}.role IN ('member', 'coordinator'))"
# (table, its membership column, the turnout column it moves)
CAST = (("assemblies_vote", "voter_id", "votes"), ("assemblies_participation", "membership_id", "participants"))


def _counted(table: str, member: str) -> str:
    eligible = ELIGIBLE.format(m="m")
    return f"""(SELECT count(*) FROM {table} x JOIN members_membership m ON m.id = x.{member}
                 WHERE x.proposal_id = p.id AND {eligible})"""


FILL = [
    f"""INSERT INTO assemblies_turnout (proposal_id, votes, participants)
        SELECT p.id, {_counted(*CAST[0][:2])}, {_counted(*CAST[1][:2])} FROM assemblies_proposal p;""",
]


def _sqlite_voter(column: str) -> str:
    return f"EXISTS (SELECT 1 FROM members_membership m WHERE m.id = {column} AND {ELIGIBLE.format(m='m')})"


def _sqlite_cast(table: str, member: str, count: str) -> list[str]:
    step = "UPDATE assemblies_turnout SET {count} = {count} {sign} 1 WHERE proposal_id = {row}.proposal_id"
    add = step.format(count=count, sign="+", row="NEW")
    take = step.format(count=count, sign="-", row="OLD")
    return [
        f"""CREATE TRIGGER {table}_turnout_cast AFTER INSERT ON {table}
            WHEN {_sqlite_voter(f"NEW.{member}")} BEGIN {add}; END;""",
        f"""CREATE TRIGGER {table}_turnout_withdrawn AFTER DELETE ON {table}
            WHEN {_sqlite_voter(f"OLD.{member}")} BEGIN {take}; END;""",
        f"""CREATE TRIGGER {table}_turnout_moved AFTER UPDATE OF proposal_id, {member} ON {table}
            WHEN OLD.proposal_id <> NEW.proposal_id OR OLD.{member} <> NEW.{member}
            BEGIN
              {take} AND {_sqlite_voter(f"OLD.{member}")};
              {add} AND {_sqlite_voter(f"NEW.{member}")};
            END;""",
    ]


def _sqlite_voter_changed() -> str:
    sign = f"CASE WHEN {ELIGIBLE.format(m='NEW')} THEN 1 ELSE -1 END"
    moves = " ".join(
        f"""UPDATE assemblies_turnout SET {count} = {count} + {sign}
             WHERE proposal_id IN (SELECT proposal_id FROM {table} WHERE {member} = NEW.id);"""
        for table, member, count in CAST
    )
    return f"""CREATE TRIGGER assemblies_turnout_voter_changed AFTER UPDATE OF role, status ON members_membership
               WHEN {ELIGIBLE.format(m="OLD")} <> {ELIGIBLE.format(m="NEW")}
               BEGIN {moves} END;"""


SQLITE_UP = [
    *FILL,
    """CREATE TRIGGER assemblies_turnout_opened AFTER INSERT ON assemblies_proposal
       BEGIN INSERT INTO assemblies_turnout (proposal_id, votes, participants) VALUES (NEW.id, 0, 0); END;""",
    *[sql for cast in CAST for sql in _sqlite_cast(*cast)],
    _sqlite_voter_changed(),
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS assemblies_turnout_opened;",
    *[f"DROP TRIGGER IF EXISTS {t}_turnout_{e};" for t, _m, _c in CAST for e in ("cast", "withdrawn", "moved")],
    "DROP TRIGGER IF EXISTS assemblies_turnout_voter_changed;",
]


# PostgreSQL: once per statement, over all the rows it wrote; each event its own trigger (transition
# tables take one event each). The rows before count -1, the rows after +1, by voter, and only the
# voters who vote in general move the turnout. Rows are locked in order of proposal first, so two
# statements moving several proposals' turnout never wait on each other in a circle.
def _pg_move(count: str, moved: str) -> str:
    return f"""PERFORM 1 FROM assemblies_turnout t JOIN ({moved}) AS x ON x.proposal_id = t.proposal_id
                ORDER BY t.proposal_id FOR UPDATE OF t;
              UPDATE assemblies_turnout t SET {count} = t.{count} + x.d FROM ({moved}) AS x
               WHERE t.proposal_id = x.proposal_id;"""


def _pg_cast_function(table: str, member: str, count: str) -> str:
    def moved(rows: str) -> str:
        return f"""SELECT r.proposal_id, sum(r.d) AS d FROM ({rows}) AS r
                     JOIN members_membership m ON m.id = r.member
                    WHERE {ELIGIBLE.format(m="m")}
                    GROUP BY r.proposal_id HAVING sum(r.d) <> 0"""

    added = f"SELECT proposal_id, {member} AS member, 1 AS d FROM after_rows"
    gone = f"SELECT proposal_id, {member} AS member, -1 AS d FROM before_rows"
    return f"""CREATE OR REPLACE FUNCTION {table}_turnout() RETURNS trigger AS $$
               BEGIN
                 IF TG_OP = 'INSERT' THEN
                   {_pg_move(count, moved(added))}
                 ELSIF TG_OP = 'DELETE' THEN
                   {_pg_move(count, moved(gone))}
                 ELSE
                   {_pg_move(count, moved(f"{gone} UNION ALL {added}"))}
                 END IF;
                 RETURN NULL;
               END; $$ LANGUAGE plpgsql;"""


def _pg_triggers(table: str, function: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_turnout_cast AFTER INSERT ON {table}
            REFERENCING NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();""",
        f"""CREATE TRIGGER {table}_turnout_withdrawn AFTER DELETE ON {table}
            REFERENCING OLD TABLE AS before_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();""",
        f"""CREATE TRIGGER {table}_turnout_moved AFTER UPDATE ON {table}
            REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
            FOR EACH STATEMENT EXECUTE FUNCTION {function}();""",
    ]


_CHANGED = f"""SELECT a.id, CASE WHEN {ELIGIBLE.format(m="a")} THEN 1 ELSE -1 END AS d
                FROM before_rows b JOIN after_rows a ON a.id = b.id
               WHERE {ELIGIBLE.format(m="b")} <> {ELIGIBLE.format(m="a")}"""
_VOTER_MOVES = "\n".join(
    _pg_move(
        count,
        f"""SELECT x.proposal_id, sum(c.d) AS d FROM ({_CHANGED}) AS c
              JOIN {table} x ON x.{member} = c.id GROUP BY x.proposal_id""",
    )
    for table, member, count in CAST
)
POSTGRES_UP = [
    *FILL,
    """CREATE OR REPLACE FUNCTION assemblies_turnout_opened() RETURNS trigger AS $$
       BEGIN
         INSERT INTO assemblies_turnout (proposal_id, votes, participants) SELECT id, 0, 0 FROM after_rows;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER assemblies_turnout_opened AFTER INSERT ON assemblies_proposal
       REFERENCING NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION assemblies_turnout_opened();""",
    *[_pg_cast_function(*cast) for cast in CAST],
    *[sql for table, _m, _c in CAST for sql in _pg_triggers(table, f"{table}_turnout")],
    f"""CREATE OR REPLACE FUNCTION assemblies_turnout_voter_changed() RETURNS trigger AS $$
        BEGIN
          {_VOTER_MOVES}
          RETURN NULL;
        END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER assemblies_turnout_voter_changed AFTER UPDATE ON members_membership
       REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
       FOR EACH STATEMENT EXECUTE FUNCTION assemblies_turnout_voter_changed();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS assemblies_turnout_opened ON assemblies_proposal;",
    "DROP FUNCTION IF EXISTS assemblies_turnout_opened();",
    *[
        f"DROP TRIGGER IF EXISTS {t}_turnout_{e} ON {t};"
        for t, _m, _c in CAST
        for e in ("cast", "withdrawn", "moved")
    ],
    *[f"DROP FUNCTION IF EXISTS {t}_turnout();" for t, _m, _c in CAST],
    "DROP TRIGGER IF EXISTS assemblies_turnout_voter_changed ON members_membership;",
    "DROP FUNCTION IF EXISTS assemblies_turnout_voter_changed();",
]


class Migration(migrations.Migration):
    dependencies = [
        ("assemblies", "0006_action_result_spec"),
        ("members", "0007_roll_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="Turnout",
            fields=[
                (
                    "proposal",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="assemblies.proposal",
                    ),
                ),
                ("votes", models.PositiveIntegerField(default=0)),
                ("participants", models.PositiveIntegerField(default=0)),
            ],
        ),
        vendor_sql(sqlite=(SQLITE_UP, SQLITE_DOWN), postgresql=(POSTGRES_UP, POSTGRES_DOWN)),
    ]
