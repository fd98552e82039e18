# The tables of models/growing.py (helper food-growing).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('activities', '0001_initial'),
        ('community', '0003_audit_index_name'),
        ('land', '0001_initial'),
        ('members', '0005_member_list_by_name'),
    ]

    operations = [
        migrations.CreateModel(
            name='Crop',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=80, verbose_name='name')),
                ('family', models.CharField(blank=True, max_length=80, verbose_name='family')),
                ('days_to_maturity', models.PositiveSmallIntegerField(verbose_name='days to maturity')),
                ('unit', models.CharField(choices=[('kg', 'kilograms'), ('g', 'grams'), ('bunch', 'bunches'), ('each', 'pieces'), ('l', 'litres'), ('packet', 'packets')], default='kg', max_length=10, verbose_name='unit')),
                ('yield_per_m2', models.DecimalField(blank=True, decimal_places=3, max_digits=10, null=True, verbose_name='yield per m²')),
                ('weekly_need', models.DecimalField(blank=True, decimal_places=3, max_digits=12, null=True, verbose_name='weekly need (pantry and food aid)')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='food_crops', to='community.community')),
            ],
            options={
                'ordering': ['name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('community', 'name'), name='food_crop_name_unique'), models.CheckConstraint(condition=models.Q(('days_to_maturity__gte', 1), ('days_to_maturity__lte', 1000)), name='food_crop_days_range'), models.CheckConstraint(condition=models.Q(('yield_per_m2__isnull', True), ('yield_per_m2__gte', 0), _connector='OR'), name='food_crop_yield_not_negative'), models.CheckConstraint(condition=models.Q(('weekly_need__isnull', True), ('weekly_need__gte', 0), _connector='OR'), name='food_crop_need_not_negative')],
            },
        ),
        migrations.CreateModel(
            name='Planting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seeding_date', models.DateField(verbose_name='seeding date')),
                ('area_m2', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='area (m²)')),
                ('expected_harvest', models.DateField(verbose_name='expected harvest')),
                ('harvest_weeks', models.PositiveSmallIntegerField(default=1, verbose_name='weeks of harvest')),
                ('expected_quantity', models.DecimalField(blank=True, decimal_places=3, max_digits=12, null=True, verbose_name='expected yield')),
                ('status', models.CharField(choices=[('planned', 'Planned'), ('growing', 'Growing'), ('finished', 'Finished'), ('failed', 'Failed')], default='planned', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='food_plantings', to='community.community')),
                ('crop', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='plantings', to='food.crop')),
            ],
            options={
                'ordering': ['seeding_date', 'id'],
            },
        ),
        migrations.CreateModel(
            name='Log',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('seeding', 'Seeding'), ('transplanting', 'Transplanting'), ('input', 'Input'), ('observation', 'Observation'), ('harvest', 'Harvest'), ('rescue', 'Rescue pickup')], max_length=15, verbose_name='kind')),
                ('status', models.CharField(choices=[('pending', 'Pending'), ('done', 'Done'), ('abandoned', 'Abandoned')], default='done', max_length=10, verbose_name='status')),
                ('quantity', models.DecimalField(blank=True, decimal_places=3, max_digits=12, null=True, verbose_name='quantity')),
                ('unit', models.CharField(blank=True, choices=[('kg', 'kilograms'), ('g', 'grams'), ('bunch', 'bunches'), ('each', 'pieces'), ('l', 'litres'), ('packet', 'packets')], max_length=10, verbose_name='unit')),
                ('lot', models.CharField(blank=True, max_length=60, verbose_name='lot')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='name')),
                ('notes', models.TextField(blank=True, max_length=5000, verbose_name='notes')),
                ('source', models.CharField(blank=True, max_length=120, verbose_name='rescued from')),
                ('at', models.DateTimeField(verbose_name='when')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='food_logs', to='members.membership')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='food_logs', to='community.community')),
                ('crop', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='logs', to='food.crop')),
                ('planting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='logs', to='food.planting')),
            ],
            options={
                'ordering': ['-at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='Plot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('area_m2', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='area (m²)')),
                ('season', models.CharField(blank=True, max_length=40, verbose_name='season')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='food_plots', to='community.community')),
                ('gardeners', models.ManyToManyField(blank=True, related_name='gardened_plots', to='members.membership')),
                ('steward', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='stewarded_plots', to='members.membership')),
            ],
            options={
                'ordering': ['site__name', 'name', 'id'],
            },
        ),
        migrations.AddField(
            model_name='planting',
            name='plot',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plantings', to='food.plot'),
        ),
        migrations.CreateModel(
            name='SeedLot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('variety', models.CharField(max_length=120, verbose_name='variety')),
                ('saved_from', models.CharField(blank=True, max_length=200, verbose_name='saved from')),
                ('saved_on', models.DateField(blank=True, null=True, verbose_name='saved on')),
                ('germination_rate', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='germination rate (%)')),
                ('quantity', models.DecimalField(decimal_places=3, default=0, max_digits=12, verbose_name='quantity')),
                ('unit', models.CharField(choices=[('kg', 'kilograms'), ('g', 'grams'), ('bunch', 'bunches'), ('each', 'pieces'), ('l', 'litres'), ('packet', 'packets')], default='g', max_length=10, verbose_name='unit')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='seed_lots', to='community.community')),
                ('crop', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='seed_lots', to='food.crop')),
                ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='saved_lots', to='food.seedlot')),
            ],
            options={
                'ordering': ['variety', 'id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gte', 0)), name='food_seed_lot_quantity_not_negative'), models.CheckConstraint(condition=models.Q(('germination_rate__isnull', True), ('germination_rate__lte', 100), _connector='OR'), name='food_seed_lot_germination_range')],
            },
        ),
        migrations.CreateModel(
            name='SeedLoan',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('quantity', models.DecimalField(decimal_places=3, max_digits=12, verbose_name='quantity')),
                ('status', models.CharField(choices=[('out', 'Out'), ('returned', 'Returned'), ('lost', 'Not returned')], default='out', max_length=10)),
                ('lent_at', models.DateTimeField()),
                ('returned_at', models.DateTimeField(blank=True, null=True)),
                ('borrower', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='seed_loans', to='members.membership')),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='seed_loans', to='community.community')),
                ('lot', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='loans', to='food.seedlot')),
                ('returned_lot', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='returned_by_loans', to='food.seedlot')),
            ],
            options={
                'ordering': ['-lent_at', '-id'],
                'constraints': [models.CheckConstraint(condition=models.Q(('quantity__gt', 0)), name='food_seed_loan_quantity_positive')],
            },
        ),
        migrations.CreateModel(
            name='Site',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('description', models.TextField(blank=True, max_length=5000, verbose_name='description')),
                ('place', models.CharField(blank=True, help_text='A neighbourhood or a known place.', max_length=120, verbose_name='place')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='food_sites', to='community.community')),
                ('parcel', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='food_sites', to='land.parcel')),
            ],
            options={
                'ordering': ['name', 'id'],
                'constraints': [models.UniqueConstraint(fields=('community', 'name'), name='food_site_name_unique')],
            },
        ),
        migrations.AddField(
            model_name='plot',
            name='site',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='plots', to='food.site'),
        ),
        migrations.CreateModel(
            name='FoodSeries',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('work_day', 'Work day'), ('rescue', 'Rescue pickup')], max_length=10)),
                ('source', models.CharField(blank=True, max_length=120, verbose_name='rescued from')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('community', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='food_series', to='community.community')),
                ('series', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='food_link', to='activities.series')),
                ('site', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='series', to='food.site')),
            ],
            options={
                'ordering': ['kind', 'id'],
            },
        ),
        migrations.AddIndex(
            model_name='log',
            index=models.Index(fields=['community', 'kind', 'at'], name='food_log_communi_3816a5_idx'),
        ),
        migrations.AddIndex(
            model_name='log',
            index=models.Index(fields=['planting', 'kind'], name='food_log_plantin_81fcdb_idx'),
        ),
        migrations.AddConstraint(
            model_name='log',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__isnull', True), ('quantity__gte', 0), _connector='OR'), name='food_log_quantity_not_negative'),
        ),
        migrations.AddConstraint(
            model_name='log',
            constraint=models.CheckConstraint(condition=models.Q(('quantity__isnull', True), models.Q(('unit', ''), _negated=True), _connector='OR'), name='food_log_quantity_has_unit'),
        ),
        migrations.AddIndex(
            model_name='planting',
            index=models.Index(fields=['community', 'expected_harvest'], name='food_planti_communi_de8fe8_idx'),
        ),
        migrations.AddConstraint(
            model_name='planting',
            constraint=models.CheckConstraint(condition=models.Q(('area_m2__gt', 0)), name='food_planting_area_positive'),
        ),
        migrations.AddConstraint(
            model_name='planting',
            constraint=models.CheckConstraint(condition=models.Q(('expected_harvest__gte', models.F('seeding_date'))), name='food_planting_harvest_after_seeding'),
        ),
        migrations.AddConstraint(
            model_name='planting',
            constraint=models.CheckConstraint(condition=models.Q(('harvest_weeks__gte', 1), ('harvest_weeks__lte', 52)), name='food_planting_weeks_range'),
        ),
        migrations.AddConstraint(
            model_name='plot',
            constraint=models.UniqueConstraint(fields=('site', 'name'), name='food_plot_name_unique'),
        ),
        migrations.AddConstraint(
            model_name='plot',
            constraint=models.CheckConstraint(condition=models.Q(('area_m2__gt', 0)), name='food_plot_area_positive'),
        ),
        migrations.AddField(
            model_name='log',
            name='round',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='logs', to='food.foodseries'),
        ),
    ]
