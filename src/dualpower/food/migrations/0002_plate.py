# The tables of models/plate.py (helper food-plate).

import django.db.models.deletion
import dualpower.food.models.plate
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('aid', '0004_referrals'),
        ('community', '0003_audit_index_name'),
        ('food', '0001_initial'),
        ('inventory', '0002_movement_aid_request'),
        ('ledger', '0006_balances_change_only_by_transfers'),
        ('members', '0005_member_list_by_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='PickupPoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('place', models.CharField(blank=True, max_length=120, verbose_name='place')),
                ('weekday', models.PositiveSmallIntegerField(verbose_name='day of the week')),
                ('hours', models.CharField(blank=True, max_length=40, verbose_name='hours')),
            ],
            options={
                'ordering': ['weekday', 'name', 'id'],
            },
        ),
        migrations.CreateModel(
            name='PledgeRound',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('number', models.PositiveSmallIntegerField()),
                ('status', models.CharField(choices=[('open', 'Open'), ('reached', 'Budget reached'), ('short', 'Fell short')], default='open', max_length=10)),
                ('total', models.BigIntegerField(default=0)),
                ('opened_at', models.DateTimeField()),
                ('closed_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['cycle', 'number'],
            },
        ),
        migrations.CreateModel(
            name='Allocation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('week', models.DateField(verbose_name='week')),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('written', 'Written')], default='draft', max_length=10)),
                ('priorities', models.JSONField(default=list)),
                ('computed_at', models.DateTimeField()),
                ('written_at', models.DateTimeField(blank=True, null=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='food_allocations', to='community.community')),
                ('computed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
                ('written_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='members.membership')),
            ],
            options={
                'ordering': ['-week', '-id'],
                'indexes': [models.Index(fields=['community', 'week'], name='food_alloca_communi_2ab0bc_idx')],
                'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('community', 'week'), name='food_allocation_one_draft_a_week')],
            },
        ),
        migrations.CreateModel(
            name='PantryLink',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('crop', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='pantry_link', to='food.crop')),
                ('item', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='inventory.item')),
            ],
        ),
        migrations.CreateModel(
            name='PlateSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('priorities', models.JSONField(default=dualpower.food.models.plate.default_priorities, verbose_name='priorities')),
                ('decision_ref', models.CharField(blank=True, max_length=40)),
                ('adopted_at', models.DateTimeField(blank=True, null=True)),
                ('community', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='food_plate_settings', to='community.community')),
            ],
        ),
        migrations.CreateModel(
            name='Share',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(max_length=12)),
                ('size', models.DecimalField(decimal_places=2, default=1, max_digits=4, verbose_name='size')),
                ('free', models.BooleanField(default=False, verbose_name='free share')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('holder', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='food_shares', to='members.membership')),
                ('pickup_point', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='shares', to='food.pickuppoint')),
            ],
            options={
                'ordering': ['code', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Pledge',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('amount', models.BigIntegerField(verbose_name='pledge')),
                ('paid_transfer_id', models.BigIntegerField(blank=True, null=True)),
                ('paid_at', models.DateTimeField(blank=True, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pledges', to='food.pledgeround')),
                ('share', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pledges', to='food.share')),
            ],
            options={
                'ordering': ['round', 'share'],
                'constraints': [models.UniqueConstraint(fields=('round', 'share'), name='food_pledge_once_a_round'), models.CheckConstraint(condition=models.Q(('amount__gte', 0)), name='food_pledge_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='AllocationLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('destination', models.CharField(choices=[('aid', 'Food request'), ('share', 'Share'), ('pantry', 'Pantry'), ('market', 'Grocery or market')], max_length=10)),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12, verbose_name='quantity')),
                ('tier', models.CharField(max_length=20)),
                ('rank', models.PositiveSmallIntegerField()),
                ('split', models.CharField(max_length=20)),
                ('computed_quantity', models.DecimalField(decimal_places=3, max_digits=12)),
                ('aid_request', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='food_allocation_lines', to='aid.aidrequest')),
                ('allocation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='food.allocation')),
                ('crop', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='food.crop')),
                ('log', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='allocation_lines', to='food.log')),
                ('share', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='lines', to='food.share')),
            ],
            options={
                'ordering': ['rank', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='food_line_quantity_positive'), models.CheckConstraint(condition=models.Q(models.Q(('destination', 'aid'), ('share__isnull', True)), models.Q(('destination', 'share'), ('aid_request__isnull', True)), models.Q(('destination__in', ['pantry', 'market']), ('aid_request__isnull', True), ('share__isnull', True)), _connector='OR'), name='food_line_destination_fits')],
            },
        ),
        migrations.CreateModel(
            name='ShareCycle',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('starts_on', models.DateField(verbose_name='first week')),
                ('ends_on', models.DateField(verbose_name='last week')),
                ('budget', models.BigIntegerField(default=0, verbose_name='budget')),
                ('status', models.CharField(choices=[('planning', 'Planning'), ('pledging', 'Pledging'), ('running', 'Running'), ('closed', 'Closed')], default='planning', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='food_share_cycles', to='community.community')),
                ('currency', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='food_share_cycles', to='ledger.currency')),
            ],
            options={
                'ordering': ['-starts_on', 'id'],
                'constraints': [models.UniqueConstraint(fields=('community', 'name'), name='food_cycle_name_unique'), models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='food_cycle_dates_ordered'), models.CheckConstraint(condition=models.Q(('budget__gte', 0)), name='food_cycle_budget_not_negative')],
            },
        ),
        migrations.AddField(
            model_name='share',
            name='cycle',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='shares', to='food.sharecycle'),
        ),
        migrations.AddField(
            model_name='pledgeround',
            name='cycle',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rounds', to='food.sharecycle'),
        ),
        migrations.AddField(
            model_name='pickuppoint',
            name='cycle',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pickup_points', to='food.sharecycle'),
        ),
        migrations.CreateModel(
            name='BasketLine',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12, verbose_name='quantity a week')),
                ('crop', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='food.crop')),
                ('cycle', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='basket_lines', to='food.sharecycle')),
            ],
            options={
                'ordering': ['crop__name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('cycle', 'crop'), name='food_basket_crop_unique'), models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='food_basket_quantity_positive')],
            },
        ),
        migrations.AddConstraint(
            model_name='share',
            constraint=models.UniqueConstraint(fields=('cycle', 'code'), name='food_share_code_unique'),
        ),
        migrations.AddConstraint(
            model_name='share',
            constraint=models.UniqueConstraint(condition=models.Q(('holder__isnull', False)), fields=('cycle', 'holder'), name='food_share_one_per_holder'),
        ),
        migrations.AddConstraint(
            model_name='share',
            constraint=models.CheckConstraint(condition=models.Q(('size__gt', 0), ('size__lte', 10)), name='food_share_size_range'),
        ),
        migrations.AddConstraint(
            model_name='pledgeround',
            constraint=models.UniqueConstraint(fields=('cycle', 'number'), name='food_round_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='pledgeround',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'open')), fields=('cycle',), name='food_round_one_open'),
        ),
        migrations.AddConstraint(
            model_name='pickuppoint',
            constraint=models.UniqueConstraint(fields=('cycle', 'name'), name='food_pickup_name_unique'),
        ),
        migrations.AddConstraint(
            model_name='pickuppoint',
            constraint=models.CheckConstraint(condition=models.Q(('weekday__lte', 6)), name='food_pickup_weekday_range'),
        ),
    ]
