"""Helpers of bench/bench_federation.py: the simulated fediverse (servers.py, a process of its own)
and the node's side (node.py)."""
