"""The member list by name, a page at a time by keyset (members.selectors.members_page): an index
on the community, status, name and id, so that a page deep in 50,000 members is sought, not scanned."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_audit_index_name"),
        ("members", "0004_token_scopes_audit_redactions"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="membership",
            index=models.Index(fields=["community", "status", "display_name", "id"], name="members_by_name"),
        ),
    ]
