"""The food app's API router: each part of the app adds its own router here."""

from ninja import Router

from dualpower.food.api.growing import router as growing_router
from dualpower.food.api.plate import router as plate_router
from dualpower.food.api.seeds import router as seeds_router

router = Router(tags=["food"])


router.add_router("", growing_router)
router.add_router("", seeds_router)


router.add_router("", plate_router)
