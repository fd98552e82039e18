"""The single transferable vote family: one import for the three counts dualpower offers.

- ``scottish_stv``: the statutory Scottish rules (fixed point, five decimals), in scottish.py;
- ``meek_stv``: Meek's method in exact rationals, in meek.py;
- ``wigm``: the weighted inclusive Gregory method in exact rationals, in wigm.py.
"""

from __future__ import annotations

from dualpower.core.choice.ranked.meek import meek_stv
from dualpower.core.choice.ranked.scottish import scottish_stv
from dualpower.core.choice.ranked.wigm import wigm

__all__ = ["meek_stv", "scottish_stv", "wigm"]
