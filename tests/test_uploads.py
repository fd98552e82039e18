"""Uploads are refused or renamed at the door, and served by the app to whoever may see them.

The client here goes through the same URLs and middleware as `dualpower serve` (DEBUG off: no
development static serving), so a photo served here is served there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from dualpower import uploads
from dualpower.budgeting import services
from dualpower.budgeting.models import Cycle, Phase, ProgressUpdate, Proposal
from dualpower.budgeting.tests.factories import make_cycle
from dualpower.errors import InvalidInput
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# PNG magic, then a page: a browser that sniffed it, or served it as .html, would run the script.
POLYGLOT = b"\x89PNG\r\n\x1a\n<html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>'
HTML = b"<!doctype html><script>alert(1)</script>"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def _implementing(community: Any) -> tuple[Cycle, Proposal]:
    cycle = make_cycle(community, phase=Phase.VOTING)
    for i, codes in enumerate([["1", "4"]] * 6 + [["2", "3"]] * 4):
        voter = make_membership(community, name=f"Voter {i}")
        services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[(c, 1) for c in codes])
    services.cycle_advance(cycle=cycle, by=None)
    services.result_adopt(cycle=cycle, decision_ref="proposal:1")
    cycle.refresh_from_db()
    return cycle, cycle.proposals.get(code=cycle.results.get().selected[0])


def _page(cycle: Cycle, project: Proposal) -> str:
    return f"/c/{cycle.community.slug}/budgets/{cycle.slug}/proposals/{project.code}/"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.mark.parametrize("name", ["polyglot.html", "x.svg", "photo.png.html", "../../evil.png"])
def test_a_png_is_stored_under_a_name_the_server_chose(
    client_for: Any, community: Any, _media: Path, name: str
) -> None:
    cycle, project = _implementing(community)
    photo = SimpleUploadedFile(name, POLYGLOT, content_type="text/html")
    response = client_for("coordinator").post(
        _page(cycle, project), {"form": "update", "text": "Started", "photo": photo}
    )
    assert response.status_code == 302
    stored = str(ProgressUpdate.objects.get().photo.name)
    folder, _sep, base = stored.rpartition("/")
    assert folder.startswith("budgeting/") and uploads.NAME.fullmatch(base) and base.endswith(".png")
    [on_disk] = _files(_media)
    assert on_disk.name == base and on_disk.read_bytes() == POLYGLOT


@pytest.mark.parametrize(
    ("name", "body"),
    [("x.svg", SVG), ("x.png", SVG), ("page.html", HTML), ("photo.jpg", HTML), ("empty.png", b"")],
)
def test_svg_html_and_anything_else_is_refused_and_nothing_written(
    client_for: Any, community: Any, _media: Path, name: str, body: bytes
) -> None:
    cycle, project = _implementing(community)
    photo = SimpleUploadedFile(name, body, content_type="image/png")
    response = client_for("coordinator").post(
        _page(cycle, project), {"form": "update", "text": "Started", "photo": photo}
    )
    assert response.status_code == 400
    sentence = "The submitted file is empty." if not body else "A photo must be a JPEG, PNG or WebP image."
    assert sentence in response.content.decode()
    assert ProgressUpdate.objects.count() == 0 and _files(_media) == []


def test_the_type_is_judged_by_the_bytes() -> None:
    assert [uploads.sniff(head) for head in (PNG, b"\xff\xd8\xff\xe0", b"RIFF\x00\x00\x00\x00WEBPVP8 ")] == [
        uploads.KINDS["png"],
        uploads.KINDS["jpg"],
        uploads.KINDS["webp"],
    ]
    assert (
        uploads.sniff(b"GIF89a...") == uploads.KINDS["gif"]
        and uploads.sniff(b"%PDF-1.7") == uploads.KINDS["pdf"]
    )
    for head in (SVG, HTML, b"RIFF\x00\x00\x00\x00WAVEfmt ", b"", b"<?xml"):
        assert uploads.sniff(head) is None
    # A PDF is a known type, but not a photo.
    pdf = SimpleUploadedFile("photo.png", b"%PDF-1.7\n", content_type="image/png")
    with pytest.raises(InvalidInput, match="not a photo"):
        uploads.upload_accept(pdf, max_bytes=1000, field="photo", wrong_type="not a photo", too_large="big")
    big = SimpleUploadedFile("photo.png", PNG + b"\x00" * 1000)
    with pytest.raises(InvalidInput, match="big"):
        uploads.upload_accept(big, max_bytes=1000, field="photo", wrong_type="not a photo", too_large="big")


def test_no_name_but_the_servers_reaches_the_disk(community: Any, _media: Path) -> None:
    _cycle, project = _implementing(community)
    update = ProgressUpdate(proposal=project, text="x")
    with pytest.raises(ValueError, match="server-chosen"):
        update.photo.save("polyglot.html", ContentFile(PNG), save=False)
    assert _files(_media) == []


def _with_photo(community: Any, body: bytes = PNG) -> tuple[Cycle, ProgressUpdate]:
    cycle, project = _implementing(community)
    photo = SimpleUploadedFile("site.png", body, content_type="image/png")
    update = services.progress_update_add(proposal=project, by=None, text="Started", photo=photo)
    return cycle, update


@pytest.mark.parametrize("role", ["observer", "member", "coordinator"])
def test_a_stored_photo_is_served_with_headers_that_keep_it_an_image(
    client_for: Any, community: Any, role: str
) -> None:
    _cycle, update = _with_photo(community, POLYGLOT)
    assert update.photo.url.startswith("/media/budgeting/")
    response = client_for(role).get(update.photo.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == POLYGLOT
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Content-Disposition"].startswith("inline;") and ".png" in response["Content-Disposition"]
    # The project's page shows it.
    page = client_for(role).get(_page(_cycle, update.proposal)).content.decode()
    assert f'src="{update.photo.url}"' in page


def test_a_file_stored_before_under_the_clients_name_is_served_as_its_bytes_say(
    client_for: Any, community: Any, _media: Path
) -> None:
    _cycle, update = _with_photo(community)
    legacy = _media / "budgeting" / "2025" / "01" / "polyglot.html"
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(POLYGLOT)
    ProgressUpdate.objects.filter(pk=update.pk).update(photo="budgeting/2025/01/polyglot.html")
    response = client_for("member").get("/media/budgeting/2025/01/polyglot.html")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert 'filename="polyglot.png"' in response["Content-Disposition"]
    # A stored file whose bytes are not an accepted type is not served at all.
    legacy.write_bytes(HTML)
    assert client_for("member").get("/media/budgeting/2025/01/polyglot.html").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/../settings.py",
        "/media/%2e%2e/settings.py",
        "/media/%2E%2E%2Fsettings.py",
        "/media/budgeting/..%2f..%2fsettings.py",
        "/media/budgeting/../../secret.txt",
        "/media//etc/passwd",
        "/media/budgeting/%2e%2e/%2e%2e/secret.txt",
        "/media/budgeting\\..\\..\\secret.txt",
    ],
)
def test_no_path_leaves_the_media_folder(client_for: Any, community: Any, _media: Path, path: str) -> None:
    _with_photo(community)
    (_media.parent / "secret.txt").write_bytes(PNG)  # next to MEDIA_ROOT: never served
    assert client_for("coordinator").get(path).status_code == 404


def test_a_file_no_record_holds_is_not_served(client_for: Any, community: Any, _media: Path) -> None:
    _with_photo(community)
    stray = _media / "budgeting" / "stray.png"
    stray.write_bytes(PNG)
    assert client_for("coordinator").get("/media/budgeting/stray.png").status_code == 404
    assert client_for("coordinator").get("/media/other/stray.png").status_code == 404


def test_the_stored_path_stays_under_media_root(_media: Path) -> None:
    (_media / "a").mkdir(parents=True)
    (_media / "a" / "b.png").write_bytes(PNG)
    assert uploads.stored_path("a/b.png") == (_media / "a" / "b.png").resolve()
    for name in ("../a/b.png", "a/../a/b.png", "/a/b.png", "a//b.png", "a\\b.png", "a/b.png\x00", ""):
        assert uploads.stored_path(name) is None
    (_media / "a" / "link.png").symlink_to(_media.parent / "outside.png")
    (_media.parent / "outside.png").write_bytes(PNG)
    assert uploads.stored_path("a/link.png") is None


def test_only_whoever_may_see_the_cycle_sees_its_photos(client_for: Any, community: Any) -> None:
    community.is_public = False
    community.save(update_fields=["is_public"])
    _cycle, update = _with_photo(community)
    assert client_for("outsider").get(update.photo.url).status_code == 403
    assert client_for("applicant").get(update.photo.url).status_code == 403
    assert client_for("anonymous").get(update.photo.url).status_code in {302, 401}
    assert client_for("member").get(update.photo.url).status_code == 200
    # A public community shows its projects' progress (and photos) to anyone, as its API does.
    community.is_public = True
    community.save(update_fields=["is_public"])
    assert client_for("outsider").get(update.photo.url).status_code == 200


def test_serving_a_photo_takes_a_few_queries(
    client_for: Any, community: Any, django_assert_max_num_queries: Any
) -> None:
    _cycle, update = _with_photo(community)
    client = client_for("member")
    with django_assert_max_num_queries(6):
        assert client.get(update.photo.url).status_code == 200
