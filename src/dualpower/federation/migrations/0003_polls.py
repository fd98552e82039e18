# Written by hand (docs: notes/00-shared.md): advisory polls published as FEP-9967 Questions
# (federation/polls.py) and the answers people on the fediverse send to them.
import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("federation", "0002_directory"),
        ("assemblies", "0006_action_result_spec"),
    ]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="PublicPoll",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("options", models.JSONField()),
                ("multiple", models.BooleanField(default=False)),
                ("ends_at", models.DateTimeField()),
                ("data", models.JSONField()),
                ("update_due_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="federation_polls",
                        to="community.community",
                    ),
                ),
                (
                    "proposal",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="fediverse_poll",
                        to="assemblies.proposal",
                    ),
                ),
                (
                    "published_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="members.membership",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="PollAnswer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("option", models.PositiveSmallIntegerField()),
                ("uri", models.URLField(max_length=500, unique=True)),
                ("activity_id", models.URLField(max_length=500)),
                ("answered_at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="poll_answers",
                        to="federation.remoteactor",
                    ),
                ),
                (
                    "poll",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="federation.publicpoll",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("poll", "actor", "option"), name="poll_answer_once_per_option"
                    )
                ],
            },
        ),
    ]
