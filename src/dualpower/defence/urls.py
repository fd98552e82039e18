from django.urls import URLPattern, URLResolver
from django.urls import path as _path

from dualpower.defence.views import exposure as _exposure
from dualpower.defence.views import response as _response
from dualpower.defence.views import response_bans as _bans
from dualpower.defence.views import response_cases as _cases

app_name = "defence"
urlpatterns: list[URLPattern | URLResolver] = []


urlpatterns += [
    _path("", _response.hub, name="hub"),
    _path("report/", _response.report, name="report"),
    _path("incidents/<str:code>/", _response.incident, name="incident"),
    _path("incidents/<str:code>/photo/", _response.photo, name="photo"),
    _path("incidents/<str:code>/<str:action>/", _response.step, name="step"),
    _path("on-call/", _response.profile, name="profile"),
    _path("on-call/phones/", _response.phones, name="phones"),
    _path("settings/", _response.settings_page, name="settings"),
    _path("settings/rota/<str:which>/", _response.rota_start, name="rota_start"),
    _path("evictions/", _cases.board, name="cases"),
    _path("evictions/new/", _cases.case_new, name="case_new"),
    _path("evictions/<int:pk>/", _cases.case_detail, name="case"),
    _path("evictions/<int:pk>/close/", _cases.case_close, name="case_close"),
    _path("evictions/<int:pk>/dates/<int:date_pk>/outcome/", _cases.outcome, name="outcome"),
    _path("rights/", _cases.rights, name="rights"),
    _path("rights/write/", _cases.rights_edit, name="rights_edit"),
    _path("rights/from-peers/<int:pk>/", _cases.rights_from_peer, name="rights_from_peer"),
    _path("rights/<slug:slug>/", _cases.rights_page, name="rights_page"),
    _path("rights/<slug:slug>/share/", _cases.rights_share, name="rights_share"),
    _path("bans/", _bans.ban_list, name="bans"),
    _path("bans/<int:pk>/remove/", _bans.ban_remove, name="ban_remove"),
]


urlpatterns += [
    _path("exposure/", _exposure.exposure_page, name="exposure"),
    _path("duress/", _exposure.duress_page, name="duress"),
    _path("duress/remove/", _exposure.duress_remove_page, name="duress_remove"),
]
