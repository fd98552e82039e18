# Aid referrals between peer communities (issue 15). Written by makemigrations; it depends on
# federation's first migration only (RemoteActor), not on whichever federation migration is last.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('aid', '0003_match_reasons'),
        ('community', '0003_audit_index_name'),
        ('federation', '0001_initial'),
        ('members', '0005_member_list_by_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='AidReferral',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('direction', models.CharField(choices=[('out', 'referred by us'), ('in', 'referred to us')], max_length=3)),
                ('state', models.CharField(choices=[('offered', 'waiting for an answer'), ('accepted', 'accepted'), ('declined', 'declined'), ('expired', 'expired'), ('withdrawn', 'withdrawn'), ('completed', 'details handed over')], default='offered', max_length=10)),
                ('uri', models.URLField(max_length=500)),
                ('offer_id', models.URLField(max_length=500)),
                ('answer_id', models.URLField(blank=True, max_length=500)),
                ('details_id', models.URLField(blank=True, max_length=500)),
                ('category', models.CharField(max_length=40)),
                ('category_label', models.CharField(blank=True, max_length=80)),
                ('region', models.CharField(max_length=80)),
                ('urgency', models.PositiveSmallIntegerField(choices=[(0, 'Low'), (1, 'Normal'), (2, 'High'), (3, 'Critical')], default=1)),
                ('languages', models.JSONField(blank=True, default=list)),
                ('expires_at', models.DateTimeField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('answered_at', models.DateTimeField(blank=True, null=True)),
                ('completed_at', models.DateTimeField(blank=True, null=True)),
                ('outbox_cleared_at', models.DateTimeField(blank=True, null=True)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aid_referrals', to='federation.remoteactor')),
                ('answered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='aid_referrals', to='community.community')),
                ('request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='referrals', to='aid.aidrequest')),
            ],
            options={
                'ordering': ['-created_at', 'id'],
                'indexes': [models.Index(fields=['community', 'direction', 'state'], name='aid_aidrefe_communi_08340f_idx')],
                'constraints': [models.UniqueConstraint(fields=('community', 'offer_id'), name='aid_referral_offer_once'), models.CheckConstraint(condition=models.Q(('direction__in', ['out', 'in'])), name='aid_referral_direction'), models.CheckConstraint(condition=models.Q(('urgency__lte', 3)), name='aid_referral_urgency_known')],
            },
        ),
    ]
