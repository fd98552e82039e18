# The tables of models/circles.py (helper care-circles).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('community', '0003_audit_index_name'),
        ('groups', '0002_initial'),
        ('members', '0005_member_list_by_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='CareSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('retention_days', models.PositiveSmallIntegerField(default=30, help_text='After this many days a closed circle is erased and only counts remain.', verbose_name='days a closed circle is kept')),
                ('community', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='care_settings', to='community.community')),
                ('health_group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='groups.workinggroup', verbose_name='health working group')),
            ],
        ),
        migrations.CreateModel(
            name='Circle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('surgery', 'After surgery or illness'), ('birth', 'A birth or new baby'), ('grief', 'Grief'), ('mental_health', 'A mental-health crisis'), ('elder', 'Caring for an elder'), ('other', 'Another time of need')], default='other', max_length=20, verbose_name='what for')),
                ('title', models.CharField(max_length=120, verbose_name='title')),
                ('person_code', models.CharField(blank=True, max_length=12)),
                ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10)),
                ('opened_at', models.DateTimeField(auto_now_add=True)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_circles', to='community.community')),
                ('keeper', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='care_circles_kept', to='members.membership')),
                ('opened_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='care_circles_opened', to='members.membership')),
                ('person', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='care_circles_for', to='members.membership')),
            ],
            options={
                'ordering': ['-opened_at', '-id'],
                'indexes': [models.Index(fields=['community', 'status'], name='care_circle_communi_9ec21c_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('person__isnull', False), models.Q(('person_code', ''), _negated=True), _connector='OR'), name='care_circle_has_person'), models.CheckConstraint(condition=models.Q(models.Q(('closed_at__isnull', True), ('status', 'open')), models.Q(('closed_at__isnull', False), ('status', 'closed')), _connector='OR'), name='care_circle_closed_has_time')],
            },
        ),
        migrations.CreateModel(
            name='CircleTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('week', models.DateField()),
                ('kind', models.CharField(choices=[('surgery', 'After surgery or illness'), ('birth', 'A birth or new baby'), ('grief', 'Grief'), ('mental_health', 'A mental-health crisis'), ('elder', 'Caring for an elder'), ('other', 'Another time of need')], max_length=20)),
                ('circles', models.PositiveIntegerField(default=0)),
                ('helpers', models.PositiveIntegerField(default=0)),
                ('needs', models.PositiveIntegerField(default=0)),
                ('needs_met', models.PositiveIntegerField(default=0)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='care_circle_tallies', to='community.community')),
            ],
            options={
                'ordering': ['-week', 'kind'],
                'constraints': [models.UniqueConstraint(fields=('community', 'week', 'kind'), name='care_circle_tally_once')],
            },
        ),
        migrations.CreateModel(
            name='Helper',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sees', models.CharField(choices=[('slots', 'Only the needs they take'), ('notes', 'The needs they take and the private notes')], default='slots', max_length=10, verbose_name='may see')),
                ('status', models.CharField(choices=[('invited', 'Invited'), ('active', 'In the circle')], default='invited', max_length=10)),
                ('invited_at', models.DateTimeField(auto_now_add=True)),
                ('joined_at', models.DateTimeField(blank=True, null=True)),
                ('circle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='helpers', to='care.circle')),
                ('membership', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='care_helping', to='members.membership')),
            ],
            options={
                'ordering': ['invited_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('circle', 'membership'), name='care_helper_once')],
            },
        ),
        migrations.CreateModel(
            name='Need',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('meal', 'Meal'), ('ride', 'Ride'), ('visit', 'Visit'), ('childcare', 'Childcare'), ('call', 'Check-in call'), ('errand', 'Errand')], max_length=12, verbose_name='kind')),
                ('starts_at', models.DateTimeField(verbose_name='when')),
                ('ends_at', models.DateTimeField(blank=True, null=True, verbose_name='until')),
                ('label', models.CharField(blank=True, max_length=120, verbose_name='short description')),
                ('sealed_details', models.TextField(blank=True, default='')),
                ('taken_at', models.DateTimeField(blank=True, null=True)),
                ('done_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('circle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='needs', to='care.circle')),
                ('taken_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='needs_taken', to='care.helper')),
            ],
            options={
                'ordering': ['starts_at', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('ends_at__isnull', True), ('ends_at__gt', models.F('starts_at')), _connector='OR'), name='care_need_ends_after'), models.CheckConstraint(condition=models.Q(('taken_by__isnull', True), ('taken_at__isnull', False), _connector='OR'), name='care_need_taken_has_time'), models.CheckConstraint(condition=models.Q(('done_at__isnull', True), ('taken_at__isnull', False), _connector='OR'), name='care_need_done_was_taken')],
            },
        ),
        migrations.CreateModel(
            name='Note',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sealed_body', models.TextField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('author', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='care_notes', to='members.membership')),
                ('circle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notes', to='care.circle')),
            ],
            options={
                'ordering': ['created_at', 'id'],
            },
        ),
    ]
