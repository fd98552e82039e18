"""The page toolkit every app uses: the permission check, the one way a page acts, the menu
registry, charts, number formatting in templates, the node's health check and middleware.

It sits below every app and imports none: where it needs an app (why a permission is refused),
the app registers with it (``permissions.register_refusal``, ``navigation.register``).
"""
