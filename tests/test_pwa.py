"""The installable web app (issue 13): manifest, icons, service worker, offline page, sign-out.

What the worker does in a browser (pages kept, the offline notice, nothing kept after sign-out)
is tested in tests/browser/test_offline.py; here, what the server answers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from dualpower.members.tests.factories import PASSWORD, make_community, make_user
from dualpower.web import pwa

STATIC = Path(pwa.__file__).resolve().parents[1] / "static"


def test_the_manifest_makes_the_site_installable(client: Any, db: None) -> None:
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == "dualpower" and data["short_name"]
    assert data["start_url"] == "/" and data["scope"] == "/" and data["display"] == "standalone"
    assert data["theme_color"] == "#8a1c1c" and data["background_color"] == "#ffffff"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in data["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in data["icons"]:
        assert icon["src"].startswith("/static/icons/")  # our own files, nothing from third parties


def test_the_manifest_is_named_after_the_one_community_of_the_node(client: Any, db: None) -> None:
    make_community(name="Barrio Norte")
    data = json.loads(client.get("/manifest.webmanifest").content)
    assert data["name"] == "Barrio Norte" and data["short_name"] == "Barrio Norte"
    make_community(name="Southside Solidarity Network")
    assert json.loads(client.get("/manifest.webmanifest").content)["name"] == "dualpower"


def test_a_long_name_is_shortened_to_its_first_word_under_the_icon() -> None:
    assert pwa._short("Southside Solidarity Network") == "Southside"
    assert pwa._short("Barrio Norte") == "Barrio Norte"
    assert pwa._short("Neighbourhoodassociation of the east") == "dualpower"


@pytest.mark.parametrize(("name", "size"), [("icon-192", 192), ("icon-512", 512), ("maskable-512", 512)])
def test_the_icons_are_pngs_of_their_size(name: str, size: int) -> None:
    with Image.open(STATIC / "icons" / f"{name}.png") as image:
        assert image.format == "PNG" and image.size == (size, size)
        if name.startswith("maskable"):  # no transparent corner: the phone's mask decides the shape
            assert image.convert("RGBA").getpixel((0, 0))[3] == 255


def test_every_page_links_the_manifest_the_icon_and_the_worker(client: Any, db: None) -> None:
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert '<meta name="theme-color" content="#8a1c1c">' in html
    assert 'rel="apple-touch-icon"' in html
    assert 'data-service-worker="/sw.js"' in html
    # The offline notice is the page's own, translated, hidden until a copy is served offline.
    assert 'id="offline-notice"' in html and 'data-saved-at="" hidden' in html
    assert "this page was saved at %(time)s and may be out of date" in html


def test_the_offline_notice_is_in_the_readers_language(client: Any, db: None) -> None:
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    notice = html.split('id="offline-notice"', 1)[1].split("</p>", 1)[0]
    from django.utils import translation

    # {% trans %} keeps a literal "%" doubled in the catalogue's msgid.
    with translation.override("es"):
        expected = translation.gettext(
            "You are offline: this page was saved at %%(time)s and may be out of date."
        ).replace("%%", "%")
    assert expected.startswith("No tienes conexión")
    assert notice.endswith(f">{expected}")  # the catalogue's words; the script fills in the time
    assert "%(time)s" in expected


def test_the_worker_is_served_from_the_root_with_its_settings(client: Any, db: None) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    text = response.content.decode()
    version = pwa.cache_version()
    assert f'const VERSION = "{version}";' in text
    assert '"/static/css/dualpower.css"' in text and 'const OFFLINE_URL = "/offline/";' in text
    for never in ("/api/", "/accounts/", "/admin/"):
        assert f'"{never}"' in text
    assert "http://" not in text.replace("http://www.w3.org", "") and "https://" not in text


def test_the_cache_version_follows_the_static_files(settings: Any, tmp_path: Path) -> None:
    before = pwa.cache_version()
    assert before == pwa.cache_version()
    changed = tmp_path / "css"
    changed.mkdir()
    (changed / "dualpower.css").write_text("body { color: red; }")
    settings.STATICFILES_DIRS = [tmp_path, STATIC]
    from django.contrib.staticfiles import finders

    finders.get_finder.cache_clear()
    try:
        assert pwa.cache_version() != before
    finally:
        finders.get_finder.cache_clear()


def test_the_offline_page_needs_no_account(client: Any, db: None) -> None:
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "You are offline" in response.content.decode()


def test_signing_out_clears_what_the_browser_kept(client: Any, db: None) -> None:
    user = make_user("out@example.org")
    assert client.login(email=user.email, password=PASSWORD)
    assert "Clear-Site-Data" not in client.get("/accounts/logout/")  # the question, not the act
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    assert "_auth_user_id" not in client.session
