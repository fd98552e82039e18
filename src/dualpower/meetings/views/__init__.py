"""Pages for meetings, one module per noun: ``meetings``, ``agenda``, ``attendance``, ``minutes``,
``tallies`` (votes counted in the room) and ``calendars`` (feeds); shared helpers in ``_common``.
"""
