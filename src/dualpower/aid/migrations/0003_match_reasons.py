# The engine's reasons for a match, stored as codes so they read in each dispatcher's language.
# Existing matches keep their English ``explanation`` text, which is still shown when a match has
# no reasons, so nothing needs converting and the migration is a plain column add.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0002_matching_generation"),
    ]

    operations = [
        migrations.AddField(
            model_name="aidmatch",
            name="reasons",
            field=models.JSONField(blank=True, default=list),
        ),
    ]
