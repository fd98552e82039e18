from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """The community itself: its settings, its audit log and its dashboard.

    "Node" means the server that hosts one or more communities (and, with federation, talks to
    other nodes); this app was called `node` until the word was needed for that.
    """

    name = "dualpower.community"
    label = "community"
    verbose_name = _("Community")

    def ready(self) -> None:
        from dualpower.community import registrations  # noqa: F401
        from dualpower.web import fragments  # noqa: F401  # counts SQLite's writing transactions
