"""The aid category crisis calls are filed under is named in English from now on, and shown in each
reader's language (care/services/clinics_lines.py, aid's register_category_name). Before, the
first call named it in its sender's language: a row named in Spanish is renamed here. Its key is
kept: requests, offers and referrals already sent to peers name the category by it, and the care
app finds the category by its name in any language as well as by key.

The names are written out rather than read from the catalogue: a migration must do the same thing
whenever it runs, whatever the translations say by then."""

from django.db import migrations

ENGLISH = "Crisis response"
# What the first call may have stored: the name in each language the node spoke then.
WRITTEN_BEFORE = ("respuesta a crisis",)


def crisis_category_in_english(apps, schema_editor):
    AidCategory = apps.get_model("aid", "AidCategory")
    found = AidCategory.objects.none()
    for name in WRITTEN_BEFORE:
        found = found | AidCategory.objects.filter(name__iexact=name)
    for category in found:
        if AidCategory.objects.filter(community_id=category.community_id, name=ENGLISH).exists():
            continue  # two categories of one name would be told apart by nobody
        category.name = ENGLISH
        category.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0004_referrals"),
        ("care", "0003_crisis_through_aid"),
    ]

    operations = [
        migrations.RunPython(crisis_category_in_english, migrations.RunPython.noop),
    ]
