"""How many memberships each community has in each role and status, kept by the database itself.

Triggers on ``members_membership`` move ``members_rollcount`` inside the statement that adds,
changes or removes a membership, so no code path can change the roll without its count, and "how
many people" or "how many vote" is read from a few rows instead of counted over the whole roll
(at 50,000 members, counting took 5-13 ms on every first visit after a write). The counts of the
memberships already there are written once here. A restore holds the insert trigger off while it
loads (dualpower.ops.triggers): the counts it loads already include the memberships.

A count only goes up by an upsert (the first membership of a role and status writes its row) and
down by an update of a row that exists; ``people`` is never below 0 (a check), so a count that
lost track would stop the write rather than go on wrong.
"""

import django.db.models.deletion
from django.db import migrations, models

from dualpower.migration_sql import vendor_sql

FILL = [
    """INSERT INTO members_rollcount (community_id, role, status, people)
       SELECT community_id, role, status, count(*) FROM members_membership
        GROUP BY community_id, role, status;""",
]
UP = """INSERT INTO members_rollcount (community_id, role, status, people)
         VALUES ({row}.community_id, {row}.role, {row}.status, 1)
         ON CONFLICT (community_id, role, status) DO UPDATE SET people = people + 1;"""
DOWN = """UPDATE members_rollcount SET people = people - 1
          WHERE community_id = {row}.community_id AND role = {row}.role AND status = {row}.status;"""

SQLITE_UP = [
    *FILL,
    f"""CREATE TRIGGER members_roll_joined AFTER INSERT ON members_membership
        BEGIN {UP.format(row="NEW")} END;""",
    f"""CREATE TRIGGER members_roll_removed AFTER DELETE ON members_membership
        BEGIN {DOWN.format(row="OLD")} END;""",
    f"""CREATE TRIGGER members_roll_changed AFTER UPDATE OF community_id, role, status ON members_membership
        WHEN OLD.community_id <> NEW.community_id OR OLD.role <> NEW.role OR OLD.status <> NEW.status
        BEGIN {DOWN.format(row="OLD")} {UP.format(row="NEW")} END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS members_roll_joined;",
    "DROP TRIGGER IF EXISTS members_roll_removed;",
    "DROP TRIGGER IF EXISTS members_roll_changed;",
]

# PostgreSQL: once per statement, over all the rows it wrote (a bulk insert of 50,000 members is
# one grouped write). Each event has its own trigger: transition tables take one event each. An
# update moves a count only when a membership's community, role or status changed: the rows before
# count -1, the rows after +1, and what cancels out is not written. Counts that exist are updated,
# and only a role and status new to the community is inserted (PostgreSQL checks an insert's row
# before it finds the conflict, so a lower count cannot go through an upsert).
_MOVE = """WITH moved AS (
             SELECT community_id, role, status, sum(d) AS d FROM ({rows}) AS rows
              GROUP BY community_id, role, status HAVING sum(d) <> 0
           ), counted AS (
             UPDATE members_rollcount r SET people = r.people + m.d FROM moved m
              WHERE r.community_id = m.community_id AND r.role = m.role AND r.status = m.status
             RETURNING r.community_id, r.role, r.status
           )
           INSERT INTO members_rollcount (community_id, role, status, people)
           SELECT m.community_id, m.role, m.status, m.d FROM moved m
            WHERE NOT EXISTS (SELECT 1 FROM counted c WHERE c.community_id = m.community_id
                                AND c.role = m.role AND c.status = m.status)
           ON CONFLICT (community_id, role, status)
           DO UPDATE SET people = members_rollcount.people + EXCLUDED.people;"""
_ADDED = "SELECT community_id, role, status, 1 AS d FROM after_rows"
_GONE = "SELECT community_id, role, status, -1 AS d FROM before_rows"
POSTGRES_UP = [
    *FILL,
    f"""CREATE OR REPLACE FUNCTION members_roll_follows() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            {_MOVE.format(rows=_ADDED)}
          ELSIF TG_OP = 'DELETE' THEN
            {_MOVE.format(rows=_GONE)}
          ELSE
            {_MOVE.format(rows=f"{_GONE} UNION ALL {_ADDED}")}
          END IF;
          RETURN NULL;
        END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER members_roll_joined AFTER INSERT ON members_membership
       REFERENCING NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION members_roll_follows();""",
    """CREATE TRIGGER members_roll_removed AFTER DELETE ON members_membership
       REFERENCING OLD TABLE AS before_rows FOR EACH STATEMENT EXECUTE FUNCTION members_roll_follows();""",
    """CREATE TRIGGER members_roll_changed AFTER UPDATE ON members_membership
       REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
       FOR EACH STATEMENT EXECUTE FUNCTION members_roll_follows();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS members_roll_joined ON members_membership;",
    "DROP TRIGGER IF EXISTS members_roll_removed ON members_membership;",
    "DROP TRIGGER IF EXISTS members_roll_changed ON members_membership;",
    "DROP FUNCTION IF EXISTS members_roll_follows();",
]


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0004_data_version"),
        ("members", "0006_sessions_generation"),
    ]

    operations = [
        migrations.CreateModel(
            name="RollCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(max_length=20)),
                ("status", models.CharField(max_length=20)),
                ("people", models.PositiveIntegerField(default=0)),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="community.community"
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("community", "role", "status"), name="one_roll_count_per_role")
                ],
            },
        ),
        vendor_sql(sqlite=(SQLITE_UP, SQLITE_DOWN), postgresql=(POSTGRES_UP, POSTGRES_DOWN)),
    ]
