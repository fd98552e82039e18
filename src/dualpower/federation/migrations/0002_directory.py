"""The directory: our communities' profiles, the profiles of communities elsewhere, the links they
announce, and member communities (written by hand: see the project's notes on shared migrations)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0003_audit_index_name"),
        ("federation", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DirectoryProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("listed", models.BooleanField(default=False)),
                ("region", models.CharField(blank=True, max_length=120)),
                ("latitude", models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True)),
                ("longitude", models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True)),
                ("languages", models.JSONField(blank=True, default=list)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "community",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="directory_profile",
                        to="community.community",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("latitude__isnull", True), ("longitude__isnull", True))
                        | models.Q(
                            ("latitude__gte", -90),
                            ("latitude__lte", 90),
                            ("longitude__gte", -180),
                            ("longitude__lte", 180),
                        ),
                        name="directory_point_on_earth",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="RemoteProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("region", models.CharField(blank=True, max_length=120)),
                ("latitude", models.DecimalField(blank=True, decimal_places=1, max_digits=3, null=True)),
                ("longitude", models.DecimalField(blank=True, decimal_places=1, max_digits=4, null=True)),
                ("languages", models.JSONField(blank=True, default=list)),
                ("working_groups", models.JSONField(blank=True, default=list)),
                ("coops", models.JSONField(blank=True, default=list)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "actor",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="directory_profile",
                        to="federation.remoteactor",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="AnnouncedLink",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("peer", "peer"), ("member", "member community")], max_length=10
                    ),
                ),
                ("target_uri", models.URLField(db_index=True, max_length=500)),
                (
                    "source",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="announced_links",
                        to="federation.remoteactor",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "kind", "target_uri"), name="announced_link_once"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="MemberCommunity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("decision_ref", models.CharField(blank=True, max_length=120)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships_in_bodies",
                        to="federation.remoteactor",
                    ),
                ),
                (
                    "community",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="member_communities",
                        to="community.community",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("community", "actor"), name="member_community_once")
                ],
            },
        ),
    ]
