from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from dualpower.api import api
from dualpower.community import views as community_views

urlpatterns = [
    path("", community_views.home, name="home"),
    path("healthz", community_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    path("me/", include("dualpower.members.urls_me")),
    path("me/notifications/", include("dualpower.notifications.urls")),
    path("c/<slug:community>/", include("dualpower.community.urls")),
    path("c/<slug:community>/", include("dualpower.members.urls")),
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
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
