import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dualpower.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    """Do, while each server process starts, what its first request would otherwise do: import every
    app's pages and the API (the URLs), index them for ``reverse``, load each language's
    translations and compile the base page. About a second of work that would otherwise land on a
    visitor, once per worker, and under load many seconds (issue 21). No database access."""
    from django.conf import settings
    from django.template.loader import get_template
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - importing them is the point
    resolver.reverse_dict  # noqa: B018 - filled on first use
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")
    get_template("base.html")


_warm_up()
# What the process made while starting (Django, every app, the URL table, the translations: about
# 290,000 objects) lives as long as the process: out of the collector's sight, a full collection no
# longer walks it. Each full collection walked it all, 70-150 ms in which no thread of the worker
# answered anyone (the slowest requests under load, issue 21).
gc.freeze()
