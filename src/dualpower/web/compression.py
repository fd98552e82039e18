"""Pages and other text answers compressed with gzip, but only for requests the site itself made.

On a 3G line a page's HTML shrinks to about a quarter (10 KB to 2.5 KB); Lighthouse lists
uncompressed HTML under "Enable text compression" (docs/benchmarks/phone.md). Static files are not
compressed here: whitenoise serves them already compressed (``CompressedManifestStaticFilesStorage``)
and answers before this middleware is reached.

Compressing a page that holds a secret next to text an attacker chose can leak the secret through
the compressed length (BREACH). Here:

- The request must come from this site or from the person (``Sec-Fetch-Site: same-origin`` or
  ``none``: a link or form of ours, htmx, an address typed or bookmarked). A request another site
  made a browser send (a link, an image, a frame, a script's fetch, a form of theirs) is answered
  uncompressed, so its length tells that site nothing. Browsers without the header (before 2020;
  Safari before 16.4) get uncompressed pages.
- The session cookie is never in a page (HttpOnly) and is not sent with another site's
  subrequests (SameSite=Lax); the CSRF token in each page is masked afresh on every answer.
- Django adds up to 100 random bytes to every compressed answer (Heal The Breach).
- Only text is compressed (HTML, JSON, CSV, calendars, the service worker): images and files
  people uploaded are compressed already.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

# Sec-Fetch-Site values of requests this site or the person made.
OWN_REQUESTS = frozenset({"same-origin", "none"})
TEXT_TYPES = frozenset(
    {
        "application/json",
        "application/javascript",
        "application/manifest+json",
        "application/xml",
        "image/svg+xml",
    }
)


def is_text(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type.startswith("text/") or media_type in TEXT_TYPES or media_type.endswith("+json")


class OwnRequestGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for text answers to requests made by this site or the person."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not is_text(response.get("Content-Type", "")):
            return response
        # The same address is answered compressed or not: a cache must tell the answers apart.
        patch_vary_headers(response, ("Accept-Encoding", "Sec-Fetch-Site"))
        if request.headers.get("Sec-Fetch-Site", "").lower() not in OWN_REQUESTS:
            return response
        return super().process_response(request, response)
