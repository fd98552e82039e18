"""Every write about growing, under the one name the food pages, the API, the demo and the tests
call it by (``services.growing.harvest_log``). Each part lives in its own module, by what the food
group does; the services of the app import those modules directly:

- ``growing_checks``: quantities, areas, units and members, as every part checks them;
- ``growing_sites``: sites and plots, with their stewards and gardeners;
- ``growing_crops``: crops and the numbers the community sets for them;
- ``growing_plantings``: plantings and their logs (one-tap harvests and rescue pickups included);
- ``growing_rounds``: work days and rescue pickups, as activities series;
- ``growing_seeds``: the seed library, its loans and their reminders.
"""

from __future__ import annotations

from dualpower.food.services.growing_checks import (
    MAX_AREA,
    MAX_QUANTITY,
    NAME_MAX,
    TEXT_MAX,
    area_of,
    quantity_of,
)
from dualpower.food.services.growing_crops import crop_create, crop_set_numbers
from dualpower.food.services.growing_plantings import (
    harvest_log,
    log_create,
    log_set_status,
    planting_create,
    planting_set_status,
)
from dualpower.food.services.growing_rounds import food_series_create, rescue_log
from dualpower.food.services.growing_seeds import (
    LOAN_DAYS,
    LOAN_DAYS_MAX,
    REMIND_DAYS,
    loan_due_on,
    seed_lend,
    seed_loan_reminders,
    seed_lot_create,
    seed_return,
)
from dualpower.food.services.growing_sites import plot_create, plot_update, site_create, site_values

__all__ = [
    "LOAN_DAYS",
    "LOAN_DAYS_MAX",
    "MAX_AREA",
    "MAX_QUANTITY",
    "NAME_MAX",
    "REMIND_DAYS",
    "TEXT_MAX",
    "area_of",
    "crop_create",
    "crop_set_numbers",
    "food_series_create",
    "harvest_log",
    "loan_due_on",
    "log_create",
    "log_set_status",
    "planting_create",
    "planting_set_status",
    "plot_create",
    "plot_update",
    "quantity_of",
    "rescue_log",
    "seed_lend",
    "seed_loan_reminders",
    "seed_lot_create",
    "seed_return",
    "site_create",
    "site_values",
]
