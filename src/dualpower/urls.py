from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from dualpower.api import api
from dualpower.members.views import front
from dualpower.web import health

urlpatterns = [
    path("", front.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("me/", include("dualpower.members.urls.account")),
    path("me/notifications/", include("dualpower.notifications.urls")),
    path("c/<slug:community>/", include("dualpower.community.urls")),
    path("c/<slug:community>/", include("dualpower.members.urls.community")),
    path("c/<slug:community>/groups/", include("dualpower.groups.urls")),
    path("c/<slug:community>/assemblies/", include("dualpower.assemblies.urls")),
    path("c/<slug:community>/meetings/", include("dualpower.meetings.urls")),
    path("c/<slug:community>/delegates/", include("dualpower.mandates.urls")),
    path("c/<slug:community>/panels/", include("dualpower.panels.urls")),
    path("c/<slug:community>/budgets/", include("dualpower.budgeting.urls")),
    path("c/<slug:community>/aid/", include("dualpower.aid.urls")),
    path("c/<slug:community>/activities/", include("dualpower.activities.urls")),
    path("c/<slug:community>/inventory/", include("dualpower.inventory.urls")),
    path("c/<slug:community>/money/", include("dualpower.ledger.urls")),
    path("c/<slug:community>/coops/", include("dualpower.coops.urls")),
    path("c/<slug:community>/land/", include("dualpower.land.urls")),
    path("c/<slug:community>/mail/", include("dualpower.outbox.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
