"""HTTP signatures: what we sign is what Mastodon signs, and what others sign we accept."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta

import pytest

from dualpower.federation import proofs
from dualpower.federation.signatures import Signed, claimed_key_id, digest, sign_cavage, sign_rfc9421, verify
from dualpower.federation.tests.signing import (
    BODY,
    INBOX,
    KEY_ID,
    NOW,
    LibraryRequest,
    cavage_post,
    library_signed,
    resigned,
    signer_key,
)

# A throwaway 1024-bit key used only for the byte-for-byte comparison below; the expected
# signatures were made with `openssl dgst -sha256 -sign` over the signing strings Mastodon's
# Request#signed_string builds (app/lib/request.rb), independently of our code.
FIXED_PEM = """-----BEGIN PRIVATE KEY-----
MIICdgIBADANBgkqhkiG9w0BAQEFAASCAmAwggJcAgEAAoGBALl7qUteapsjaPbY
U4SL+hErOPyNzeaVVKjSnX027w75ueZaDG+4y/C8Nt/JgoL764uUHDBJcu/gmbOd
iy0LzK8wswD+QPZzvPBnjcU+YMD8RgFHq2yqs+vIAz633WkJ/2xC+0nHQ8SCbYUP
SviwzUOqReCSZs8HNz5FpVUVgW0VAgMBAAECgYEAhKvkWymsvU0lvjLcAloRQ4iU
GWng1kcIKD2GMtNBSYfspczRSnR3Q7mM0qOTe9dwEwWc6BkRYm1X43cT3uOqwohf
dmdSfSltKvH3YZHISL6Ed6iz715Q12/pszR8/1UqeMCWS7qxIsDUxghHUtiK2Iis
OVFuxWKcUr9As0t+210CQQDqA3O3wgsduLqb4fEeMWoa64SBPiiwKTSO8eqh30nu
jtdCrK1Dy5YC5Y+hGrB5YrBq9bNLjHesVkqwI1oJPQcHAkEAyujxm55YY6EROjJW
ipb8+aur0Ot4n1AixnGjyL/v21rWHRNtflkB2pYrU2OYCsdp2W6mXLaT1agh27Uu
UjToAwJAMmS16a92t1rNjL4WL3tSryNisHZTSsRE1jeQYHV2NVI7VtdapIvV7R/E
U1ws/qba+N2aU72XE9ytTsr+G5kxxwJAJ0iR/h7Z3fAA9dNpDcvNjki+KuRrpexN
zz2RB/yg40bizR5FxIBW64rHOI2/kdapl37klm6CkIrMg0zAewnjIQJAYmiBHgVc
bWA2BzKq8C9epBN4qMvyFcLXuy0geszsaqxbPrxyfYMhGk8fkQx0S6sqe3Z+W6Mg
Ais4lI//899U3g==
-----END PRIVATE KEY-----
"""
MASTODON_POST_SIGNATURE = (
    "r7WIpjoqsjjWGCbot3f80owvP+8sYvRc8uDsPLRgjk5dsX75Om3WDZRI+n7I8/negssumBAocxBXf+c7ZrdNKDQpeIgH"
    "BTrgN7VD3wq7AySxDx87RCllqJZpV7/r93XJMRVgLtGoTu1Yl73DVWSrnGcRocwQ82qllTjhXrcjdmI="
)
MASTODON_GET_SIGNATURE = (
    "TIs471/sDEB4MVp6m0U6fMWElgjLDBUR/Wu9r99kv+LNTF1D6tJc6sW3o5jhEW1GgkZ0hABwwVY/BV04Vurc9gtz5j0/"
    "vLrSFnwf3AWXyA6B9yPp7TBELGmk/wmRdFkF1yMhO6v2/fTTT3/bJcCXvBWxKX8ZDCMBXQDukr059Wg="
)


@pytest.fixture
def key() -> str:
    return signer_key()


@pytest.fixture
def public(key: str) -> str:
    return proofs.rsa_public_pem(key)


def test_a_delivery_is_signed_byte_for_byte_as_mastodon_signs_it() -> None:
    added = sign_cavage(
        method="POST",
        url="https://remote.example/users/bob/inbox",
        body=BODY,
        key_id=KEY_ID,
        private_key_pem=FIXED_PEM,
        now=NOW,
    )
    assert added == {
        "Date": "Sun, 06 Dec 2026 12:00:00 GMT",
        "Digest": "SHA-256=GYwYnH3BiO6aICFt0ThC5bUIJ4byvqdpWtR8m5fNkww=",
        "Content-Type": "application/activity+json",
        "Signature": f'keyId="{KEY_ID}",algorithm="rsa-sha256",'
        f'headers="(request-target) host date digest content-type",signature="{MASTODON_POST_SIGNATURE}"',
    }


def test_a_fetch_is_signed_byte_for_byte_as_mastodon_signs_it() -> None:
    added = sign_cavage(
        method="GET",
        url="https://remote.example/users/bob",
        body=None,
        key_id=KEY_ID,
        private_key_pem=FIXED_PEM,
        now=NOW,
    )
    assert added["Signature"] == (
        f'keyId="{KEY_ID}",algorithm="rsa-sha256",headers="(request-target) host date",'
        f'signature="{MASTODON_GET_SIGNATURE}"'
    )
    assert "Digest" not in added


def test_digest_is_the_base64_sha256_of_the_body() -> None:
    assert digest(BODY) == "SHA-256=" + base64.b64encode(hashlib.sha256(BODY).digest()).decode()


# -- round trips --------------------------------------------------------------------------------


def test_a_cavage_post_round_trips(key: str, public: str) -> None:
    headers = cavage_post(key)
    assert claimed_key_id(headers=headers) == KEY_ID
    signed = verify(
        method="POST",
        path="/ap/inbox",
        host="remote.example",
        headers=headers,
        body=BODY,
        public_key_pem=public,
        now=NOW + timedelta(minutes=30),
    )
    assert signed == Signed(key_id=KEY_ID, scheme="cavage")


def test_a_signed_get_with_a_query_round_trips(key: str, public: str) -> None:
    headers = {
        "Host": "remote.example",
        **sign_cavage(
            method="GET", url=INBOX + "?page=2", body=None, key_id=KEY_ID, private_key_pem=key, now=NOW
        ),
    }
    signed = verify(
        method="GET",
        path="/ap/inbox?page=2",
        host="remote.example",
        headers=headers,
        body=b"",
        public_key_pem=public,
        now=NOW,
    )
    assert signed.scheme == "cavage"


def test_an_hs2019_signature_with_created_is_accepted(key: str, public: str) -> None:
    created = int(NOW.timestamp())
    headers = {"Host": "remote.example", "Digest": digest(BODY)}
    lines = [
        "(request-target): post /ap/inbox",
        "host: remote.example",
        f"(created): {created}",
        f"digest: {digest(BODY)}",
    ]
    headers = resigned(key, headers, "(request-target) host (created) digest", lines)
    headers["Signature"] = headers["Signature"].replace(
        'algorithm="rsa-sha256"', f'algorithm="hs2019",created={created}'
    )
    assert (
        verify(
            method="POST",
            path="/ap/inbox",
            host="remote.example",
            headers=headers,
            body=BODY,
            public_key_pem=public,
            now=NOW,
        ).scheme
        == "cavage"
    )


def test_an_rfc9421_post_round_trips(key: str, public: str) -> None:
    headers = {
        "Host": "remote.example",
        **sign_rfc9421(method="POST", url=INBOX, body=BODY, key_id=KEY_ID, private_key_pem=key, now=NOW),
    }
    assert (
        headers["Content-Digest"]
        == "sha-256=:" + base64.b64encode(hashlib.sha256(BODY).digest()).decode() + ":"
    )
    assert claimed_key_id(headers=headers) == KEY_ID
    signed = verify(
        method="POST",
        path="/ap/inbox",
        host="remote.example",
        headers=headers,
        body=BODY,
        public_key_pem=public,
        now=NOW,
    )
    assert signed == Signed(key_id=KEY_ID, scheme="rfc9421")


def test_an_rfc9421_signature_made_by_http_message_signatures_is_accepted(key: str, public: str) -> None:
    # A non-default port and scheme, the way the real-process tests run: @authority keeps the port.
    request = LibraryRequest("POST", "http://remote.example:8080/ap/inbox", {"Host": "remote.example:8080"})
    headers = library_signed(key, request, ("@method", "@path", "@authority"), BODY)
    signed = verify(
        method="POST",
        path="/ap/inbox",
        host="remote.example:8080",
        headers=headers,
        body=BODY,
        public_key_pem=public,
        now=NOW,
    )
    assert signed.key_id == KEY_ID


# -- refusals -----------------------------------------------------------------------------------
