"""A number on each account counted up to end all its sessions at once (a duress sign-in:
defence/services/exposure.py); 0 keeps Django's own session hash, so no session ends on upgrade."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_member_list_by_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="sessions_generation",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
    ]
