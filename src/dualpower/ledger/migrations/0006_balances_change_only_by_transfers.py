"""A balance changes only by a transfer: the database refuses any other UPDATE of it.

Migration 0003 moves both balances when a transfer is inserted. This one adds the other half: an
UPDATE of ``ledger_account`` that changes ``balance`` is refused unless it is made by that trigger.
The trigger marks, for the length of its own statement, that balances are being moved by a
transfer; a guard trigger on the accounts refuses a balance change made without the mark.

- PostgreSQL: the mark is a transaction-local setting, ``dualpower.moving_balances``, switched on
  and off around the trigger's UPDATE (``set_config(..., true)``; rolled back with the statement).
- SQLite: a trigger on a main table cannot read a TEMP table, so the mark is a row of a small
  table, ``ledger_balance_move``, inserted and deleted by the same trigger body (SQLite has one
  writer at a time, and a refused statement rolls the row back with everything else). The table
  is empty between statements.

This guards against programs and their mistakes (a hand-written UPDATE, a stale account saved
whole); someone with the database's owner rights can still drop triggers, and
``dualpower ledger check`` finds any balance that no longer matches its transfers. Other columns
(limits, pending amounts, status, name) are updated as before. A restore loads accounts by INSERT,
so it is not affected; the guard is not an INSERT trigger, so it stays on during a restore.
"""

import importlib

from django.db import migrations

from dualpower.migration_sql import vendor_sql

_balances = importlib.import_module("dualpower.ledger.migrations.0003_balances_follow_transfers")

REFUSAL = _balances.REFUSAL
GUARD_REFUSAL = "ledger: a balance changes only by writing a transfer"

SQLITE_UP = [
    "CREATE TABLE ledger_balance_move (moving integer NOT NULL);",
    *_balances.SQLITE_DOWN,
    f"""CREATE TRIGGER ledger_transfer_moves_balances AFTER INSERT ON ledger_transfer
       BEGIN
         INSERT INTO ledger_balance_move (moving) VALUES (1);
         UPDATE ledger_account SET balance = balance - NEW.amount
          WHERE id = NEW.debit_id AND currency_id = NEW.currency_id AND community_id = NEW.community_id;
         SELECT RAISE(ABORT, '{REFUSAL}') WHERE changes() <> 1;
         UPDATE ledger_account SET balance = balance + NEW.amount
          WHERE id = NEW.credit_id AND currency_id = NEW.currency_id AND community_id = NEW.community_id;
         SELECT RAISE(ABORT, '{REFUSAL}') WHERE changes() <> 1;
         DELETE FROM ledger_balance_move;
       END;""",
    f"""CREATE TRIGGER ledger_account_balance_by_transfers_only BEFORE UPDATE ON ledger_account
       WHEN NEW.balance IS NOT OLD.balance AND NOT EXISTS (SELECT 1 FROM ledger_balance_move)
       BEGIN SELECT RAISE(ABORT, '{GUARD_REFUSAL}'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS ledger_account_balance_by_transfers_only;",
    *_balances.SQLITE_DOWN,
    *_balances.SQLITE_UP,
    "DROP TABLE IF EXISTS ledger_balance_move;",
]

POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION ledger_transfer_moves_balances() RETURNS trigger AS $$
       DECLARE
         complete boolean;
       BEGIN
         PERFORM set_config('dualpower.moving_balances', 'on', true);
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
         PERFORM set_config('dualpower.moving_balances', 'off', true);
         IF NOT complete THEN
           RAISE EXCEPTION '{REFUSAL}' USING ERRCODE = 'check_violation';
         END IF;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql;""",
    f"""CREATE OR REPLACE FUNCTION ledger_account_balance_by_transfers_only() RETURNS trigger AS $$
       BEGIN
         IF coalesce(current_setting('dualpower.moving_balances', true), '') <> 'on' THEN
           RAISE EXCEPTION '{GUARD_REFUSAL}' USING ERRCODE = 'check_violation';
         END IF;
         RETURN NEW;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER ledger_account_balance_by_transfers_only BEFORE UPDATE ON ledger_account
       FOR EACH ROW WHEN (NEW.balance IS DISTINCT FROM OLD.balance)
       EXECUTE FUNCTION ledger_account_balance_by_transfers_only();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS ledger_account_balance_by_transfers_only ON ledger_account;",
    "DROP FUNCTION IF EXISTS ledger_account_balance_by_transfers_only();",
    _balances.POSTGRES_UP[0],  # the balance trigger's function as 0003 wrote it
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_idempotency_keys_per_payer")]
    operations = [vendor_sql(sqlite=(SQLITE_UP, SQLITE_DOWN), postgresql=(POSTGRES_UP, POSTGRES_DOWN))]
