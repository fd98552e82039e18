"""Pages for assemblies, one module per noun: ``assemblies``, ``proposals``, ``votes`` and
``delegations``; shared helpers in ``_common``.
"""
