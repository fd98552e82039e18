# Lots and expiry dates for goods kept by lot (medicines, tests, first-aid kits): issue 16.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('inventory', '0002_movement_aid_request'),
    ]

    operations = [
        migrations.AddField(
            model_name='item',
            name='expiry_warning_days',
            field=models.PositiveSmallIntegerField(default=30, help_text='For goods kept by lot: stock keepers are told this many days before a lot expires.', verbose_name='warn before expiry (days)'),
        ),
        migrations.CreateModel(
            name='Lot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=40, verbose_name='lot number')),
                ('expires_on', models.DateField(blank=True, null=True, verbose_name='expiry date')),
                ('remaining', models.IntegerField(default=0)),
                ('warned_at', models.DateTimeField(blank=True, null=True)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lots', to='inventory.item')),
            ],
            options={
                'ordering': [models.OrderBy(models.F('expires_on'), nulls_last=True), 'code', 'id'],
                'indexes': [models.Index(fields=['expires_on'], name='inventory_lot_expiry')],
                'constraints': [models.UniqueConstraint(fields=('item', 'code'), name='inventory_lot_code_unique'), models.CheckConstraint(condition=models.Q(('remaining__gte', 0)), name='inventory_lot_not_negative')],
            },
        ),
        migrations.AddField(
            model_name='movement',
            name='lot',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='movements', to='inventory.lot'),
        ),
    ]
