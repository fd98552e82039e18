"""Idempotency keys belong to the account that pays (a transfer) or asks (a payment request).

They were unique per currency, so one member's key answered another's request with 409 "already
used", and keys could be claimed in advance. Now a key is unique per paying account: the same
payer reusing a key gets the earlier transfer back, another payer gets their own.

The new constraints are weaker than the old ones, so every existing database already satisfies
them. On SQLite, changing a table's unique constraint rebuilds the table, which drops its triggers:
the transfer table's triggers (migrations 0002 and 0003) are made again afterwards, as they were.
"""

import importlib

from django.db import migrations, models

from dualpower.migration_sql import vendor_sql

_append_only = importlib.import_module("dualpower.ledger.migrations.0002_transfers_append_only")
_balances = importlib.import_module("dualpower.ledger.migrations.0003_balances_follow_transfers")

# Dropping first makes the step safe whether or not the rebuild kept them.
SQLITE_TRIGGERS = [
    *_append_only.SQLITE_DOWN,
    *_balances.SQLITE_DOWN,
    *_append_only.SQLITE_UP,
    *_balances.SQLITE_UP,
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_statement_pages")]

    operations = [
        migrations.RemoveConstraint(model_name="invoice", name="ledger_invoice_key_once"),
        migrations.RemoveConstraint(model_name="transfer", name="ledger_idempotency_key_once"),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.UniqueConstraint(
                fields=("payee", "idempotency_key"), name="ledger_invoice_key_once_per_payee"
            ),
        ),
        migrations.AddConstraint(
            model_name="transfer",
            constraint=models.UniqueConstraint(
                fields=("debit", "idempotency_key"), name="ledger_idempotency_key_once_per_payer"
            ),
        ),
        # Both directions rebuild the table on SQLite: its triggers are made again either way.
        vendor_sql(sqlite=(SQLITE_TRIGGERS, SQLITE_TRIGGERS), postgresql=([], [])),
    ]
