"""Every write about sortition panels, one module per noun: ``panels`` (setting one up),
``volunteers`` (signing up, withdrawing), ``quotas`` (the features a panel asks about) and
``draw`` (closing sign-up, the seed, the draw); shared private helpers in ``_common``. Other apps,
the views and the API import from here.
"""

from dualpower.panels.selectors import quotas_of
from dualpower.panels.services.draw import (
    SEED_MAX,
    distribution_of,
    panel_close,
    panel_draw,
    panel_seed_announce,
    pool_and_quotas,
)
from dualpower.panels.services.panels import PURPOSE_MAX, TITLE_MAX, panel_create, panel_update
from dualpower.panels.services.quotas import (
    FEATURES_MAX,
    NAME_MAX,
    SIZE_MAX,
    VALUE_MAX,
    VALUES_MAX,
    FeatureQuotas,
)
from dualpower.panels.services.volunteers import volunteer_signup, volunteer_withdraw

__all__ = [
    "FEATURES_MAX",
    "NAME_MAX",
    "PURPOSE_MAX",
    "SEED_MAX",
    "SIZE_MAX",
    "TITLE_MAX",
    "VALUES_MAX",
    "VALUE_MAX",
    "FeatureQuotas",
    "distribution_of",
    "panel_close",
    "panel_create",
    "panel_draw",
    "panel_seed_announce",
    "panel_update",
    "pool_and_quotas",
    "quotas_of",
    "volunteer_signup",
    "volunteer_withdraw",
]
