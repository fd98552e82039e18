"""Progress photos are stored under a name the server chose from the file's bytes
(dualpower.uploads.UploadTo); files already stored keep their names and are served as before."""

from django.db import migrations, models

import dualpower.uploads


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="progressupdate",
            name="photo",
            field=models.FileField(blank=True, upload_to=dualpower.uploads.UploadTo("budgeting")),
        ),
    ]
