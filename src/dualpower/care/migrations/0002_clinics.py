# The tables of models/clinics.py (helper care-clinics): clinic days, referrals, warm line, crisis calls.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('activities', '0001_initial'),
        ('care', '0001_initial'),
        ('community', '0003_audit_index_name'),
        ('members', '0005_member_list_by_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='ClinicDay',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('site', models.CharField(max_length=120, verbose_name='site')),
                ('day', models.DateField(verbose_name='date')),
                ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], default='open', max_length=10)),
                ('people_seen', models.PositiveIntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_clinic_days', to='community.community')),
                ('series', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='activities.series')),
            ],
            options={
                'ordering': ['-day', 'site', 'id'],
                'constraints': [models.UniqueConstraint(fields=('community', 'site', 'day'), name='care_clinic_day_once')],
            },
        ),
        migrations.CreateModel(
            name='ClinicWeek',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('week', models.DateField()),
                ('people_seen', models.PositiveIntegerField(default=0)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_clinic_weeks', to='community.community')),
            ],
            options={
                'ordering': ['-week'],
                'constraints': [models.UniqueConstraint(fields=('community', 'week'), name='care_clinic_week_once')],
            },
        ),
        migrations.CreateModel(
            name='CrisisCall',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=8)),
                ('situation', models.CharField(choices=[('distress', 'Emotional distress'), ('substance', 'Intoxication or overdose risk'), ('welfare', 'Welfare check'), ('conflict', 'Conflict to de-escalate'), ('medical', 'Minor medical need'), ('other', 'Other')], max_length=20, verbose_name='situation')),
                ('area', models.CharField(max_length=120, verbose_name='where (roughly)')),
                ('status', models.CharField(choices=[('dispatched', 'Dispatched'), ('acknowledged', 'On the way'), ('arrived', 'Arrived'), ('closed', 'Closed')], default='dispatched', max_length=20)),
                ('dispatched_at', models.DateTimeField()),
                ('acknowledged_at', models.DateTimeField(blank=True, null=True)),
                ('arrived_at', models.DateTimeField(blank=True, null=True)),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
                ('outcome', models.CharField(blank=True, choices=[('resolved', 'Resolved on the spot'), ('safety_plan', 'Safety plan made with the person'), ('care_circle', 'Follow-up in a care circle'), ('referred', 'Referred to a service'), ('clinic', 'Went to a clinic or hospital, by their choice'), ('emergency', "Emergency services called, at the person's request"), ('no_contact', 'Could not find the person'), ('declined', 'The person declined help')], max_length=20)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_crisis_calls', to='community.community')),
                ('dispatched_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
                ('follow_up_circle', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='care.circle')),
                ('medic', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
                ('peer', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
            ],
            options={
                'ordering': ['-dispatched_at', '-id'],
                'constraints': [models.UniqueConstraint(fields=('community', 'code'), name='care_crisis_code_once'), models.CheckConstraint(condition=models.Q(models.Q(('outcome__gt', ''), ('status', 'closed')), models.Q(models.Q(('status', 'closed'), _negated=True), ('outcome', '')), _connector='OR'), name='care_crisis_outcome_when_closed')],
            },
        ),
        migrations.CreateModel(
            name='Referral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('kind', models.CharField(choices=[('clinic', 'Clinic or doctor'), ('dental', 'Dental'), ('counselling', 'Counselling and mental health'), ('substance', 'Substance use'), ('reproductive', 'Sexual and reproductive health'), ('legal', 'Legal aid'), ('housing', 'Housing and shelter'), ('other', 'Other')], max_length=20, verbose_name='kind')),
                ('cost', models.CharField(blank=True, max_length=120, verbose_name='cost')),
                ('languages', models.CharField(blank=True, max_length=200, verbose_name='languages')),
                ('hours', models.CharField(blank=True, max_length=200, verbose_name='opening hours')),
                ('accessibility', models.CharField(blank=True, max_length=300, verbose_name='accessibility')),
                ('contact', models.CharField(blank=True, max_length=200, verbose_name='how to reach them')),
                ('notes', models.TextField(blank=True, max_length=1000, verbose_name='notes')),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_referrals', to='community.community')),
            ],
            options={
                'ordering': ['kind', 'name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('community', 'name'), name='care_referral_name_once')],
            },
        ),
        migrations.CreateModel(
            name='ScreeningCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('week', models.DateField()),
                ('kind', models.CharField(choices=[('blood_pressure', 'Blood pressure'), ('blood_sugar', 'Blood sugar'), ('hiv', 'HIV'), ('hepatitis_c', 'Hepatitis C'), ('sickle_cell', 'Sickle cell'), ('tuberculosis', 'Tuberculosis'), ('vision', 'Vision'), ('depression', 'Depression (questionnaire)'), ('other', 'Other')], max_length=20)),
                ('done', models.PositiveIntegerField(default=0)),
                ('positives', models.PositiveIntegerField(default=0)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_screenings', to='community.community')),
            ],
            options={
                'ordering': ['-week', 'kind'],
                'constraints': [models.UniqueConstraint(fields=('community', 'week', 'kind'), name='care_screening_once'), models.CheckConstraint(condition=models.Q(('positives__lte', models.F('done'))), name='care_screening_positives')],
            },
        ),
        migrations.CreateModel(
            name='Station',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('welcome', 'Welcome'), ('triage', 'Triage'), ('consultation', 'Consultation'), ('pharmacy', 'Pharmacy'), ('referral', 'Referral')], max_length=20)),
                ('position', models.PositiveSmallIntegerField()),
                ('day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='stations', to='care.clinicday')),
            ],
            options={
                'ordering': ['day', 'position'],
                'constraints': [models.UniqueConstraint(fields=('day', 'position'), name='care_station_position_once'), models.UniqueConstraint(fields=('day', 'kind'), name='care_station_kind_once')],
            },
        ),
        migrations.CreateModel(
            name='QueueEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=8)),
                ('status', models.CharField(choices=[('waiting', 'Waiting'), ('done', 'Finished'), ('left', 'Left')], default='waiting', max_length=10)),
                ('arrived_at', models.DateTimeField()),
                ('moved_at', models.DateTimeField()),
                ('day', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='queue', to='care.clinicday')),
                ('station', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='care.station')),
            ],
            options={
                'ordering': ['moved_at', 'id'],
                'constraints': [models.UniqueConstraint(fields=('day', 'code'), name='care_queue_code_once')],
            },
        ),
        migrations.CreateModel(
            name='WarmLineCall',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField()),
                ('duration_minutes', models.PositiveSmallIntegerField()),
                ('topic', models.CharField(choices=[('loneliness', 'Loneliness'), ('anxiety', 'Anxiety or stress'), ('low_mood', 'Low mood'), ('relationships', 'Family and relationships'), ('grief', 'Grief'), ('substance', 'Substance use'), ('money_housing', 'Money or housing'), ('crisis', 'Crisis: passed to the crisis team'), ('other', 'Other')], max_length=20)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_warm_line_calls', to='community.community')),
            ],
            options={
                'ordering': ['-started_at', '-id'],
                'indexes': [models.Index(fields=['community', 'started_at'], name='care_call_when')],
                'constraints': [models.CheckConstraint(condition=models.Q(('duration_minutes__gte', 1), ('duration_minutes__lte', 600)), name='care_call_duration')],
            },
        ),
        migrations.CreateModel(
            name='CareRota',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('warm_line', 'Warm line'), ('crisis', 'Crisis team')], max_length=20)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_rotas', to='community.community')),
                ('series', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='activities.series')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('community', 'kind'), name='care_rota_once')],
            },
        ),
    ]
