from django.db import migrations, models


class Migration(migrations.Migration):
    """Indexes for a statement's pages (keyset by transfer id on each side of an account) and for
    the money summary's running totals (a currency's transfers after the last one counted)."""

    dependencies = [
        ("ledger", "0003_balances_follow_transfers"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="transfer",
            index=models.Index(fields=["debit", "id"], name="ledger_transfer_debit_page"),
        ),
        migrations.AddIndex(
            model_name="transfer",
            index=models.Index(fields=["credit", "id"], name="ledger_transfer_credit_page"),
        ),
        migrations.AddIndex(
            model_name="transfer",
            index=models.Index(fields=["currency", "id"], name="ledger_transfer_currency_id"),
        ),
    ]
