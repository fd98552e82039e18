"""The defence app's API router: each part of the app adds its own router here."""

from ninja import Router

from dualpower.defence.api.exposure import router as _exposure_router
from dualpower.defence.api.response import router as _response_router
from dualpower.defence.api.response_peers import router as _peers_router

router = Router(tags=["community defence"])


router.add_router("", _response_router)
router.add_router("", _peers_router)


router.add_router("", _exposure_router)
