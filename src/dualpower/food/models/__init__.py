"""The food app's tables, one module per part; Django finds them through these imports."""

from dualpower.food.models.growing import (  # noqa: F401
    Crop,
    FoodSeries,
    Log,
    Planting,
    Plot,
    SeedLoan,
    SeedLot,
    Site,
    Unit,
)
from dualpower.food.models.plate import (  # noqa: F401
    Allocation,
    AllocationLine,
    BasketLine,
    PantryLink,
    PickupPoint,
    PlateSettings,
    Pledge,
    PledgeRound,
    Share,
    ShareCycle,
)
