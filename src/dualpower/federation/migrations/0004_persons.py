"""Persons: members who chose to be visible on the fediverse, and who follows them (written by
hand: see the project's notes on shared migrations)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_member_list_by_name"),
        ("federation", "0003_polls"),
    ]

    operations = [
        migrations.CreateModel(
            name="PersonActor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("handle", models.CharField(max_length=30, unique=True)),
                ("name", models.CharField(blank=True, max_length=80)),
                ("summary", models.TextField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("stopped_at", models.DateTimeField(blank=True, null=True)),
                ("key_removed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "membership",
                    models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="federation_person",
                        to="members.membership",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("stopped_at", None))
                        | models.Q(("membership", None), ("name", ""), ("summary", "")),
                        name="person_tombstone_keeps_nothing",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PersonFollower",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("follow_id", models.URLField(max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="follows_of_our_people",
                        to="federation.remoteactor",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followers",
                        to="federation.personactor",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("person", "actor"), name="person_follower_once")
                ],
            },
        ),
    ]
