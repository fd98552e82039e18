from django.conf import settings
from django.urls import include, path

from dualpower.api import api
from dualpower.commons.views import guide_object
from dualpower.community.selectors import communities_all
from dualpower.members.views import front
from dualpower.web import health, media, pwa

urlpatterns = [
    path("", front.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Installable, readable offline (web/pwa.py); sign-out also clears what the phone kept.
    path("manifest.webmanifest", pwa.manifest, {"communities": communities_all}, name="pwa-manifest"),
    path("sw.js", pwa.service_worker, name="pwa-service-worker"),
    path("offline/", pwa.offline, name="offline"),
    path("accounts/logout/", pwa.sign_out),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", api.urls),
    # Federation: WebFinger, NodeInfo and the ActivityPub actors and inboxes (federation/urls.py).
    path("", include("dualpower.federation.urls")),
    # A guide of the knowledge commons at its ActivityPub id (commons/views.py).
    path("ap/c/<slug:slug>/guides/<uuid:guide_uuid>", guide_object, name="commons-guide-object"),
    path("me/", include("dualpower.members.urls.account")),
    path("me/notifications/", include("dualpower.notifications.urls")),
    path("setup/", include("dualpower.ops.urls")),
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
    path("c/<slug:community>/commons/", include("dualpower.commons.urls")),
    path("c/<slug:community>/deliberations/", include("dualpower.deliberation.urls")),
    path("c/<slug:community>/care/", include("dualpower.care.urls")),
    path("c/<slug:community>/food/", include("dualpower.food.urls")),
    path("c/<slug:community>/learn/", include("dualpower.learn.urls")),
    path("c/<slug:community>/defence/", include("dualpower.defence.urls")),
    # Uploads: served by the app to whoever may see their record, never as raw files (web/media.py).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media.serve, name="media"),
]
