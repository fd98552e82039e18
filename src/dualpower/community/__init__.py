"""The community: its settings, its audit log, and the dashboard registry.

The lowest app: it imports no other. The apps above plug into it through ``hooks`` (a new
community's starter groups, the acting member in the audit log, the dashboard's counts) and
``dashboard.register`` (their panels).
"""
