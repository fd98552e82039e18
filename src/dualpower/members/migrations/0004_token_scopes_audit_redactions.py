"""Tokens get a scope; tokens that existed before scopes become "write" (they could already write,
and a script using one should not break on upgrade: see docs/members.md, "Access tokens").
Audit redactions: what readers see instead of an entry naming a person who deleted their account."""

import django.db.models.deletion
from django.db import migrations, models


def existing_tokens_write(apps, schema_editor):
    apps.get_model("members", "AccessToken").objects.update(scope="write")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_invitations"),
        ("community", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="accesstoken",
            name="scope",
            field=models.CharField(
                choices=[("read", "Read only"), ("write", "Read and write")],
                default="read",
                max_length=10,
                verbose_name="what it may do",
            ),
        ),
        migrations.RunPython(existing_tokens_write, migrations.RunPython.noop),
        migrations.CreateModel(
            name="AuditRedaction",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("summary", models.CharField(blank=True, max_length=300)),
                ("data", models.TextField(blank=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="redaction",
                        to="community.auditentry",
                    ),
                ),
            ],
        ),
    ]
