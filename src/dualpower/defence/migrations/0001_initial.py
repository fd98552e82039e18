# The tables of models/response.py (helper defence-response).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('activities', '0001_initial'),
        ('community', '0003_audit_index_name'),
        ('groups', '0002_initial'),
        ('members', '0005_member_list_by_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='EvictionCase',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('household', models.CharField(max_length=20, verbose_name='household code')),
                ('landlord', models.CharField(max_length=120, verbose_name='landlord')),
                ('status', models.CharField(choices=[('open', 'Open'), ('stayed', 'Tenant stayed'), ('settled', 'Settled'), ('evicted', 'Evicted'), ('withdrawn', 'Landlord withdrew')], default='open', max_length=20)),
                ('opened_at', models.DateTimeField(auto_now_add=True)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('case_worker', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='eviction_cases', to='members.membership')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='eviction_cases', to='community.community')),
            ],
            options={
                'ordering': ['status', '-opened_at', '-id'],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('community', 'household'), name='defence_case_one_open')],
            },
        ),
        migrations.CreateModel(
            name='CourtDate',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('hearing', 'Hearing'), ('trial', 'Trial'), ('lockout', 'Lockout date')], default='hearing', max_length=20, verbose_name='kind')),
                ('at', models.DateTimeField(verbose_name='when')),
                ('place', models.CharField(blank=True, max_length=120, verbose_name='court or place')),
                ('outcome', models.CharField(choices=[('pending', 'Not yet'), ('postponed', 'Postponed'), ('won', 'Won'), ('lost', 'Lost'), ('settled', 'Settled'), ('dismissed', 'Dismissed')], default='pending', max_length=20, verbose_name='outcome')),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('support', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='activities.series')),
                ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='court_dates', to='defence.evictioncase')),
            ],
            options={
                'ordering': ['at', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Incident',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=12)),
                ('kind', models.CharField(choices=[('raid', 'Raid'), ('eviction', 'Eviction'), ('police_stop', 'Police stop'), ('attack', 'Attack')], max_length=20, verbose_name='what is happening')),
                ('area', models.CharField(max_length=60, verbose_name='area')),
                ('seen_at', models.DateTimeField(verbose_name='when')),
                ('seen_sealed', models.TextField(blank=True, default='')),
                ('photo_sealed', models.TextField(blank=True, default='')),
                ('status', models.CharField(choices=[('reported', 'Waiting for verification'), ('verified', 'Verified: responders alerted'), ('false_alarm', 'False alarm'), ('closed', 'Closed')], default='reported', max_length=20)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('verified_at', models.DateTimeField(blank=True, null=True)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('followup_codes', models.JSONField(blank=True, default=list)),
                ('followup_done_at', models.DateTimeField(blank=True, null=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='defence_incidents', to='community.community')),
                ('reported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
                ('verified_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['community', 'status'], name='defence_inc_communi_b8d08a_idx')],
                'constraints': [models.UniqueConstraint(fields=('community', 'code'), name='defence_incident_code_unique'), models.CheckConstraint(condition=models.Q(('kind__in', ['raid', 'eviction', 'police_stop', 'attack'])), name='defence_incident_kind'), models.CheckConstraint(condition=models.Q(('verified_at__isnull', True), ('photo_sealed', ''), _connector='OR'), name='defence_incident_photo_dropped')],
            },
        ),
        migrations.CreateModel(
            name='IncidentCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('week', models.DateField()),
                ('area', models.CharField(max_length=60)),
                ('kind', models.CharField(choices=[('raid', 'Raid'), ('eviction', 'Eviction'), ('police_stop', 'Police stop'), ('attack', 'Attack')], max_length=20)),
                ('false_alarm', models.BooleanField(default=False)),
                ('count', models.PositiveIntegerField(default=0)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='defence_counts', to='community.community')),
            ],
            options={
                'ordering': ['-week', 'area', 'kind'],
                'constraints': [models.UniqueConstraint(fields=('community', 'week', 'area', 'kind', 'false_alarm'), name='defence_count_once')],
            },
        ),
        migrations.CreateModel(
            name='OnCallProfile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('areas', models.JSONField(blank=True, default=list, verbose_name='areas you can reach')),
                ('phone_sealed', models.TextField(blank=True, default='')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='defence_profiles', to='community.community')),
                ('membership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='defence_profiles', to='members.membership')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('community', 'membership'), name='defence_profile_once')],
            },
        ),
        migrations.CreateModel(
            name='Response',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('role_slug', models.CharField(max_length=60)),
                ('state', models.CharField(choices=[('alerted', 'Alerted'), ('acknowledged', 'Acknowledged'), ('on_the_way', 'On the way'), ('arrived', 'Arrived')], default='alerted', max_length=20)),
                ('alerted_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('incident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='responses', to='defence.incident')),
                ('membership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='defence_responses', to='members.membership')),
            ],
            options={
                'ordering': ['alerted_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('incident', 'membership'), name='defence_response_once')],
            },
        ),
        migrations.CreateModel(
            name='RightsPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=60)),
                ('language', models.CharField(max_length=10, verbose_name='language')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('body', models.TextField(max_length=20000, verbose_name='text')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rights_pages', to='community.community')),
                ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
            ],
            options={
                'ordering': ['slug', 'language'],
                'constraints': [models.UniqueConstraint(fields=('community', 'slug', 'language'), name='defence_rights_once')],
            },
        ),
        migrations.CreateModel(
            name='DefenceSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('areas', models.JSONField(blank=True, default=list, verbose_name='area cells')),
                ('retention_hours', models.PositiveIntegerField(default=72, verbose_name='hours a closed incident is kept before it becomes a count')),
                ('community', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='defence_settings', to='community.community')),
                ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='groups.workinggroup')),
                ('responder_rota', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='activities.series')),
                ('verifier_rota', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='activities.series')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('retention_hours__lte', 8760)), name='defence_settings_retention_at_most_a_year')],
            },
        ),
    ]
