"""Balances follow the transfers in the database itself.

Inserting a transfer moves both accounts' balances inside the same statement, by a trigger: no
code path can write a transfer without its balances, or move a balance without a transfer. The
trigger also refuses an account of another currency or community; the check constraints on the
accounts refuse a limit passed or a closed account (on SQLite leg by leg; on PostgreSQL for the
statement's end state, the legs in between being checked under locks by the posting code). The posting code checks the same
beforehand where it can, to say why in a sentence.

Balances already stored match the transfers (`dualpower ledger check`), so nothing is recomputed.
A restore holds this trigger off while it loads (dualpower.ops.triggers): the balances it loads
already include the transfers.
"""

from django.db import migrations

from dualpower.migration_sql import vendor_sql

REFUSAL = "ledger: both accounts must hold the transfer''s currency in its community"

# changes() inside a trigger counts the trigger's own last statement: 0 when the account is missing
# or holds another currency or community.
SQLITE_UP = [
    f"""CREATE TRIGGER ledger_transfer_moves_balances AFTER INSERT ON ledger_transfer
       BEGIN
         UPDATE ledger_account SET balance = balance - NEW.amount
          WHERE id = NEW.debit_id AND currency_id = NEW.currency_id AND community_id = NEW.community_id;
         SELECT RAISE(ABORT, '{REFUSAL}') WHERE changes() <> 1;
         UPDATE ledger_account SET balance = balance + NEW.amount
          WHERE id = NEW.credit_id AND currency_id = NEW.currency_id AND community_id = NEW.community_id;
         SELECT RAISE(ABORT, '{REFUSAL}') WHERE changes() <> 1;
       END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS ledger_transfer_moves_balances;"]
# PostgreSQL: once per statement, over all the rows it inserted (a linked set is one INSERT), so
# each account is updated once. The posting code has locked the accounts already, in ascending id
# order, and checked the legs of a linked set in order; here every account must be found in the
# transfer's currency and community, or nothing is written.
POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION ledger_transfer_moves_balances() RETURNS trigger AS $$
       DECLARE
         complete boolean;
       BEGIN
         WITH moved AS (
           SELECT id, currency_id, community_id, sum(delta) AS delta
             FROM (SELECT debit_id AS id, currency_id, community_id, -amount AS delta FROM posted
                   UNION ALL
                   SELECT credit_id, currency_id, community_id, amount FROM posted) AS legs
            GROUP BY id, currency_id, community_id
         ), updated AS (
           UPDATE ledger_account a SET balance = a.balance + moved.delta
             FROM moved
            WHERE a.id = moved.id AND a.currency_id = moved.currency_id
              AND a.community_id = moved.community_id
           RETURNING a.id
         )
         SELECT (SELECT count(*) FROM moved) = (SELECT count(*) FROM updated) INTO complete;
         IF NOT complete THEN
           RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'check_violation';
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER ledger_transfer_moves_balances AFTER INSERT ON ledger_transfer
       REFERENCING NEW TABLE AS posted
       FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfer_moves_balances();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS ledger_transfer_moves_balances ON ledger_transfer;",
    "DROP FUNCTION IF EXISTS ledger_transfer_moves_balances();",
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_transfers_append_only")]
    operations = [vendor_sql(sqlite=(SQLITE_UP, SQLITE_DOWN), postgresql=(POSTGRES_UP, POSTGRES_DOWN))]
