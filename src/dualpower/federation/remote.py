"""Actors on other servers: fetched from their origin, checked, and kept as ``RemoteActor`` rows.

What another server says about itself is believed only when it says it from its own origin:

- an actor document must carry the id we asked for (a document served at one address claiming to
  be an actor elsewhere is refused; an alias on the same server, such as Mastodon's ``/@name``
  page, is followed once to the id it names, which must then answer for itself), and the server
  that finally answered (after redirects) must be the id's origin;
- its ``publicKey`` must be owned by it and live on its origin;
- a key id is resolved to the actor that owns it, and that actor's own document must name the
  same key id (an attacker's key document cannot claim someone else as its owner: the owner is
  asked; CVE-2024-23832 is the inbox's side of the same rule).

Every fetch goes through ``fetch.request`` (the SSRF guard) and is signed as the node's instance
actor, as servers with authorized fetch (Mastodon's secure mode) require. A stored actor is used
for a day, then fetched again; ``refresh=True`` fetches now (a key rotation, an ``Update``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeGuard
from urllib.parse import quote, urldefrag

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.errors import DomainError
from dualpower.federation import fetch, ids
from dualpower.federation.models import URI_LENGTH, RemoteActor

ACTOR_TYPES = frozenset(RemoteActor.Kind.values)
KEEP_FOR = timedelta(days=1)
JRD_ACCEPT = "application/jrd+json, application/json"
ACTIVITY_TYPES = ("application/activity+json", "application/ld+json")
_HANDLE = re.compile(r"^@?(?:acct:)?(?P<name>[^@\s/?#]+)@(?P<host>[A-Za-z0-9.-]+(?::[0-9]{1,5})?)$")
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]"}
_MULTIKEY_ED25519 = "z6Mk"  # multibase base58btc of the 0xed01 multicodec prefix


class RemoteRefused(DomainError):
    """What another server sent is not a document this node will believe."""

    code = "remote_refused"
    status = 400
    default_detail = gettext_lazy("The other server's answer could not be trusted.")


def _refuse(sentence: str, url: str) -> RemoteRefused:
    return RemoteRefused(sentence % {"url": url})


def _is_url(value: Any) -> TypeGuard[str]:
    if not isinstance(value, str) or len(value) > URI_LENGTH:
        return False
    try:
        ids.origin_of(value)  # http(s), a host, a valid port, no user:password@
    except ValueError:
        return False
    return True


def _document(
    url: str, *, accept: str = fetch.ACTIVITY_ACCEPT, signed: bool = True
) -> tuple[dict[str, Any], str]:
    """The JSON object at ``url`` and the URL that finally answered (after redirects)."""
    response = fetch.request(
        "GET", url, headers={"Accept": accept}, sign=ids.signer_for(None) if signed else None
    )
    if not 200 <= response.status < 300:
        raise fetch.FetchFailed(
            _("%(url)s answered with status %(status)s.") % {"url": url, "status": response.status},
            upstream_status=response.status,
        )
    kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not (kind.endswith("/json") or kind.endswith("+json")):
        raise fetch.FetchRefused(_("%(url)s did not answer with JSON.") % {"url": url})
    try:
        data = json.loads(response.body)
    except (ValueError, UnicodeDecodeError):
        raise fetch.FetchRefused(_("%(url)s did not answer with JSON.") % {"url": url}) from None
    if not isinstance(data, dict):
        raise fetch.FetchRefused(_("%(url)s did not answer with a JSON object.") % {"url": url})
    return data, response.url


def _types(document: dict[str, Any]) -> set[str]:
    kind = document.get("type")
    return (
        {kind}
        if isinstance(kind, str)
        else {k for k in kind if isinstance(k, str)}
        if isinstance(kind, list)
        else set()
    )


def _own_document(url: str) -> dict[str, Any]:
    """Fetch ``url`` and return the document if it is the one it claims to be (see the module)."""
    document, answered = _document(url)
    claimed = document.get("id")
    if not _is_url(claimed):
        raise _refuse(_("The document at %(url)s has no usable id."), url)
    if ids.origin_of(claimed) != ids.origin_of(url):
        raise _refuse(_("The document at %(url)s claims to be something on another server."), url)
    if ids.origin_of(answered) != ids.origin_of(claimed):
        raise _refuse(_("%(url)s was answered by another server than the one it belongs to."), url)
    if claimed != url:
        # An alias on the same server: ask the id itself, which must answer with itself.
        document, answered = _document(claimed)
        if document.get("id") != claimed or ids.origin_of(answered) != ids.origin_of(claimed):
            raise _refuse(_("The document at %(url)s does not answer for its own id."), claimed)
    return document


def _first_key(actor_id: str, value: Any) -> dict[str, Any] | None:
    """The actor's ``publicKey`` (some servers send a list): the one owned by the actor."""
    for key in value if isinstance(value, list) else [value]:
        if isinstance(key, dict) and key.get("owner") == actor_id and _is_url(key.get("id")):
            return key
    return None


def _clipped(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _url_of(value: Any) -> str:
    """``url`` is a string, a Link or a list of them: the first http(s) address."""
    for item in value if isinstance(value, list) else [value]:
        href = item.get("href") if isinstance(item, dict) else item
        if _is_url(href):
            return str(href)
    return ""


def _proof_key(actor_id: str, document: dict[str, Any]) -> tuple[str, str]:
    """The Ed25519 Multikey the actor lists for FEP-8b32 proofs, if any: (id, multibase)."""
    methods = document.get("assertionMethod")
    for method in methods if isinstance(methods, list) else [methods]:
        if not isinstance(method, dict) or method.get("controller") != actor_id:
            continue
        multibase = method.get("publicKeyMultibase")
        if (
            method.get("type") == "Multikey"
            and isinstance(multibase, str)
            and multibase.startswith(_MULTIKEY_ED25519)
            and len(multibase) <= 100
            and _is_url(method.get("id"))
            and ids.origin_of(method["id"]) == ids.origin_of(actor_id)
        ):
            return method["id"], multibase
    return "", ""


def actor_store(document: dict[str, Any]) -> RemoteActor:
    """Check an actor document fetched from its own origin and keep it (new or updated)."""
    actor_id = document.get("id")
    if not _is_url(actor_id):
        raise RemoteRefused(_("The actor document has no usable id."))
    kinds = _types(document) & ACTOR_TYPES
    if not kinds:
        raise _refuse(_("%(url)s is not an actor."), actor_id)
    inbox = document.get("inbox")
    if not _is_url(inbox):
        raise _refuse(_("The actor %(url)s has no inbox."), actor_id)
    key = _first_key(actor_id, document.get("publicKey"))
    if key is None or not isinstance(key.get("publicKeyPem"), str):
        raise _refuse(_("The actor %(url)s has no public key of its own."), actor_id)
    if ids.origin_of(key["id"]) != ids.origin_of(actor_id):
        raise _refuse(_("The key of the actor %(url)s lives on another server."), actor_id)
    endpoints = document.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    proof_key_id, proof_key_multibase = _proof_key(actor_id, document)
    values = {
        "host": fetch.host_of(actor_id),
        "kind": sorted(kinds)[0],
        "username": _clipped(document.get("preferredUsername"), 255),
        "name": _clipped(document.get("name"), 255),
        "summary": _clipped(document.get("summary"), 5000),
        "url": _url_of(document.get("url")),
        "inbox": inbox,
        "shared_inbox": shared if _is_url(shared) else "",
        "followers": document["followers"] if _is_url(document.get("followers")) else "",
        "outbox": document["outbox"] if _is_url(document.get("outbox")) else "",
        "key_id": key["id"],
        "public_key_pem": key["publicKeyPem"][:10_000],
        "proof_key_id": proof_key_id,
        "proof_key_multibase": proof_key_multibase,
        "is_dualpower": document.get("dualpower") is True,
        "fetched_at": timezone.now(),
    }
    with transaction.atomic():
        actor, _created = RemoteActor.objects.update_or_create(uri=actor_id, defaults=values)
        for hook in _on_store:
            hook(actor, document)
    return actor


# What other modules keep of a stored actor's document (the directory's profile), registered with
# ``on_actor_stored``: called in the transaction that stores the actor, with the document as its
# own origin served it (never a copy embedded by someone else).
_on_store: list[Callable[[RemoteActor, dict[str, Any]], None]] = []


def on_actor_stored(hook: Callable[[RemoteActor, dict[str, Any]], None]) -> None:
    if hook not in _on_store:
        _on_store.append(hook)


def _fresh(actor: RemoteActor | None) -> bool:
    return actor is not None and timezone.now() - actor.fetched_at < KEEP_FOR


def actor_get(uri: str, *, refresh: bool = False) -> RemoteActor:
    """The actor whose id is ``uri``, from its origin (signed as our instance actor), kept here."""
    uri = urldefrag(uri).url
    if not _is_url(uri):
        raise RemoteRefused(_("“%(uri)s” is not an actor's address.") % {"uri": uri[:200]})
    known = RemoteActor.objects.filter(uri=uri).first()
    if not refresh and _fresh(known):
        return known  # type: ignore[return-value]  # _fresh is False for None
    document = _own_document(uri)
    if document.get("id") != uri:
        known = RemoteActor.objects.filter(uri=document.get("id")).first()
        if not refresh and _fresh(known):
            return known  # type: ignore[return-value]
    return actor_store(document)


def actor_for_key(key_id: str, *, refresh: bool = False) -> RemoteActor:
    """The actor owning the key ``key_id``, whose own document names that very key."""
    if not _is_url(key_id):
        raise RemoteRefused(_("“%(uri)s” is not a key's address.") % {"uri": key_id[:200]})
    if not refresh:
        known = RemoteActor.objects.filter(key_id=key_id).order_by("-fetched_at").first()
        if _fresh(known):
            return known  # type: ignore[return-value]
    document = _own_document(urldefrag(key_id).url)
    if _types(document) & ACTOR_TYPES:
        actor = actor_store(document)
    else:
        # A key document (Misskey, GoToSocial, Hubzilla): its owner is asked, not believed.
        owner = document.get("owner")
        if not _is_url(owner) or document.get("id") != key_id:
            raise _refuse(_("%(url)s is neither an actor nor a key with an owner."), key_id)
        if ids.origin_of(owner) != ids.origin_of(key_id):
            raise _refuse(_("The key %(url)s claims an owner on another server."), key_id)
        actor = actor_get(owner, refresh=True)
    if actor.key_id != key_id:
        raise _refuse(_("The key %(url)s is not the key its owner publishes."), key_id)
    return actor


def _scheme_for(host: str) -> str:
    """https, except plain http to loopback on test set-ups (the loopback harness has no TLS)."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    loopback = name in _LOOPBACK_NAMES or name.startswith("127.")
    return "http" if loopback and fetch.allow_private_addresses() else "https"


def webfinger(handle: str) -> str:
    """The actor id behind ``@name@host``, ``name@host``, ``acct:name@host`` or an actor URL."""
    handle = handle.strip()
    if handle.startswith(("https://", "http://")):
        return actor_get(handle).uri
    match = _HANDLE.match(handle)
    if not match:
        raise RemoteRefused(
            _("“%(handle)s” is not a fediverse address; write it as @name@server.example.")
            % {"handle": handle[:200]}
        )
    name, host = match["name"], match["host"].lower()
    resource = f"acct:{name}@{host}"
    url = f"{_scheme_for(host)}://{host}/.well-known/webfinger?resource={quote(resource, safe='@:')}"
    document, _answered = _document(url, accept=JRD_ACCEPT, signed=False)
    links = document.get("links")
    for link in links if isinstance(links, list) else []:
        if (
            isinstance(link, dict)
            and link.get("rel") == "self"
            and str(link.get("type", "")).split(";")[0].strip() in ACTIVITY_TYPES
            and _is_url(link.get("href"))
        ):
            return actor_get(link["href"]).uri
    raise RemoteRefused(_("%(handle)s has no ActivityPub actor.") % {"handle": handle[:200]})
