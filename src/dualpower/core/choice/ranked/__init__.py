"""Ranked and single-winner counts: STV, IRV, Condorcet and the polls assemblies run."""
