"""Everything the defence app registers, in one place (imported by ``AppConfig.ready()``)."""

from __future__ import annotations

from dualpower.defence import exposure_registrations as _exposure_registrations  # noqa: F401 - registers on import
from dualpower.defence import response_registrations as _response_registrations  # noqa: F401 - registers on import
