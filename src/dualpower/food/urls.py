from django.urls import URLPattern, URLResolver, path

from dualpower.food.views import growing as growing_views
from dualpower.food.views import growing_edit as edit_views
from dualpower.food.views import growing_logs as growing_log_views
from dualpower.food.views import plate as plate_views
from dualpower.food.views import plate_edit as plate_edit_views

app_name = "food"
urlpatterns: list[URLPattern | URLResolver] = []


urlpatterns += [
    path("gardens/", growing_views.gardens, name="growing_home"),
    path("gardens/sites/new/", growing_views.site_new, name="growing_site_new"),
    path("gardens/plots/new/", growing_views.plot_new, name="growing_plot_new"),
    path("gardens/plots/<int:pk>/", growing_views.plot_detail, name="growing_plot"),
    path("gardens/plots/<int:pk>/people/", growing_views.plot_people, name="growing_plot_people"),
    path("gardens/plantings/<int:pk>/harvest/", growing_views.harvest, name="growing_harvest"),
    path("gardens/plantings/<int:pk>/status/", growing_views.planting_status, name="growing_planting_status"),
    path("gardens/plan/", growing_views.plan, name="growing_plan"),
    path("gardens/plan/new/", growing_views.planting_new, name="growing_planting_new"),
    path("gardens/crops/", growing_views.crops, name="growing_crops"),
    path("gardens/crops/new/", growing_views.crop_new, name="growing_crop_new"),
    path("gardens/crops/<int:pk>/", growing_views.crop_numbers, name="growing_crop"),
    path("gardens/logs/", growing_log_views.logs, name="growing_logs"),
    path("gardens/logs/new/", growing_log_views.log_new, name="growing_log_new"),
    path("gardens/logs/farmos.csv", growing_log_views.logs_export, name="growing_logs_export"),
    path("gardens/logs/import/", growing_log_views.logs_import, name="growing_logs_import"),
    path("gardens/logs/<int:pk>/status/", growing_log_views.log_status, name="growing_log_status"),
    path("gardens/rounds/", growing_log_views.rounds, name="growing_rounds"),
    path("gardens/rounds/new/", growing_log_views.round_new, name="growing_round_new"),
    path("gardens/rounds/<int:pk>/rescued/", growing_log_views.rescue, name="growing_rescue"),
    path("gardens/seeds/", growing_log_views.seeds, name="growing_seeds"),
    path("gardens/seeds/new/", growing_log_views.seed_new, name="growing_seed_new"),
    path("gardens/seeds/<int:pk>/take/", growing_log_views.seed_borrow, name="growing_seed_borrow"),
    path("gardens/loans/<int:pk>/return/", growing_log_views.seed_return, name="growing_seed_return"),
]

# Changing and removing what the gardens keep.
urlpatterns += [
    path("gardens/sites/<int:pk>/edit/", edit_views.site_edit, name="growing_site_edit"),
    path("gardens/sites/<int:pk>/remove/", edit_views.removers["site"], name="growing_site_remove"),
    path("gardens/plots/<int:pk>/edit/", edit_views.plot_edit, name="growing_plot_edit"),
    path("gardens/plots/<int:pk>/remove/", edit_views.removers["plot"], name="growing_plot_remove"),
    path("gardens/crops/<int:pk>/edit/", edit_views.crop_edit, name="growing_crop_edit"),
    path("gardens/crops/<int:pk>/remove/", edit_views.removers["crop"], name="growing_crop_remove"),
    path("gardens/plantings/<int:pk>/edit/", edit_views.planting_edit, name="growing_planting_edit"),
    path(
        "gardens/plantings/<int:pk>/remove/", edit_views.removers["planting"], name="growing_planting_remove"
    ),
    path("gardens/seeds/<int:pk>/edit/", edit_views.seed_edit, name="growing_seed_edit"),
    path("gardens/seeds/<int:pk>/remove/", edit_views.removers["seed"], name="growing_seed_remove"),
]


urlpatterns += [
    path("plate/", plate_views.plate, name="plate"),
    path("plate/allocations/<int:pk>/", plate_views.allocation, name="plate_allocation"),
    path("plate/allocations/<int:pk>/write/", plate_views.allocation_write, name="plate_allocation_write"),
    path(
        "plate/allocations/<int:pk>/discard/", plate_views.allocation_discard, name="plate_allocation_discard"
    ),
    path("shares/", plate_views.cycles, name="plate_cycles"),
    path("shares/<int:pk>/", plate_views.cycle, name="plate_cycle"),
    path("shares/<int:pk>/join/", plate_views.cycle_join, name="plate_cycle_join"),
    path("shares/<int:pk>/household/", plate_views.cycle_add_household, name="plate_cycle_household"),
    path("shares/<int:pk>/pickup/", plate_views.cycle_pickup, name="plate_cycle_pickup"),
    path("shares/<int:pk>/basket/", plate_views.cycle_basket, name="plate_cycle_basket"),
    path("shares/<int:pk>/status/", plate_views.cycle_status, name="plate_cycle_status"),
    path("shares/<int:pk>/round/", plate_views.cycle_round, name="plate_cycle_round"),
    path("shares/<int:pk>/pledge/", plate_views.cycle_pledge, name="plate_cycle_pledge"),
    path("shares/<int:pk>/pay/", plate_views.cycle_pay, name="plate_cycle_pay"),
    path("shares/<int:pk>/edit/", plate_edit_views.cycle_edit, name="plate_cycle_edit"),
    path("shares/<int:pk>/remove/", plate_edit_views.removers["cycle"], name="plate_cycle_remove"),
    path("shares/pickup-points/<int:pk>/edit/", plate_edit_views.pickup_edit, name="plate_pickup_edit"),
    path(
        "shares/pickup-points/<int:pk>/remove/",
        plate_edit_views.removers["pickup"],
        name="plate_pickup_remove",
    ),
]
