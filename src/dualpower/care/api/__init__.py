"""The care app's API router: each part of the app adds its own router here."""

from ninja import Router

from dualpower.care.api.circles import router as _circles_router
from dualpower.care.api.clinics import router as _clinics_router

router = Router(tags=["community care"])


router.add_router("", _circles_router)


router.add_router("", _clinics_router)
