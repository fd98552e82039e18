"""Food: pure engines for growing and sharing food (no Django).

- forecast.py: plantings → expected harvest dates and yields (helper food-growing)
- allocation.py: harvests → destinations by the priorities an assembly adopted (helper food-plate)

Modules are imported directly (`from dualpower.core.food.allocation import allocate`).
"""
