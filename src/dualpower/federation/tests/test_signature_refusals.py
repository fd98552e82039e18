"""HTTP signatures: each way a request can fail verification is refused, with its reason."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from dualpower.federation import proofs
from dualpower.federation.signatures import SignatureRefused, claimed_key_id, digest, sign_rfc9421
from dualpower.federation.tests.signing import (
    BODY,
    INBOX,
    KEY_ID,
    NOW,
    LibraryRequest,
    cavage_post,
    library_signed,
    refusal,
    resigned,
    signer_key,
)


@pytest.fixture
def key() -> str:
    return signer_key()


@pytest.fixture
def public(key: str) -> str:
    return proofs.rsa_public_pem(key)


def test_an_unsigned_request_is_refused(public: str) -> None:
    assert refusal(public, {"Host": "remote.example", "Digest": digest(BODY)}) == "unsigned"
    with pytest.raises(SignatureRefused, match="unsigned"):
        claimed_key_id(headers={"Host": "remote.example"})


@pytest.mark.parametrize(
    "value",
    [
        'keyId="x"',
        "garbage",
        'keyId="x",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="%%%"',
        'keyId=x,signature="AA=="',
    ],
)
def test_a_malformed_signature_header_is_refused(public: str, value: str) -> None:
    headers = {"Host": "remote.example", "Date": "Sun, 06 Dec 2026 12:00:00 GMT", "Digest": digest(BODY)}
    assert refusal(public, {**headers, "Signature": value.replace("x", KEY_ID)}) == "malformed"


def test_a_malformed_signature_input_is_refused(public: str) -> None:
    assert refusal(public, {"Signature-Input": "sig1=(((", "Signature": "sig1=:AA==:"}) == "malformed"


def test_a_post_without_digest_is_refused(key: str, public: str) -> None:
    headers = {"Host": "remote.example", "Date": "Sun, 06 Dec 2026 12:00:00 GMT"}
    lines = [
        "(request-target): post /ap/inbox",
        "host: remote.example",
        "date: Sun, 06 Dec 2026 12:00:00 GMT",
    ]
    assert refusal(public, resigned(key, headers, "(request-target) host date", lines)) == "missing_digest"


def test_a_digest_that_is_not_covered_is_refused(key: str, public: str) -> None:
    headers = {"Host": "remote.example", "Date": "Sun, 06 Dec 2026 12:00:00 GMT", "Digest": digest(BODY)}
    lines = [
        "(request-target): post /ap/inbox",
        "host: remote.example",
        "date: Sun, 06 Dec 2026 12:00:00 GMT",
    ]
    assert (
        refusal(public, resigned(key, headers, "(request-target) host date", lines)) == "headers_not_covered"
    )


def test_a_body_that_does_not_match_the_digest_is_refused(key: str, public: str) -> None:
    assert refusal(public, cavage_post(key), body=b'{"type":"Delete"}') == "bad_digest"


def test_a_body_that_does_not_match_the_content_digest_is_refused(key: str, public: str) -> None:
    headers = {
        "Host": "remote.example",
        **sign_rfc9421(method="POST", url=INBOX, body=BODY, key_id=KEY_ID, private_key_pem=key, now=NOW),
    }
    assert refusal(public, headers, body=b'{"type":"Delete"}') == "bad_digest"


def test_a_stale_date_is_refused(key: str, public: str) -> None:
    # Mastodon: five minutes of validity plus an hour of clock skew.
    assert refusal(public, cavage_post(key), now=NOW + timedelta(minutes=66)) == "stale_date"


def test_a_date_in_the_future_is_refused(key: str, public: str) -> None:
    assert refusal(public, cavage_post(key), now=NOW - timedelta(minutes=61)) == "future_date"


def test_a_stale_rfc9421_created_is_refused(key: str, public: str) -> None:
    headers = {
        "Host": "remote.example",
        **sign_rfc9421(method="POST", url=INBOX, body=BODY, key_id=KEY_ID, private_key_pem=key, now=NOW),
    }
    assert refusal(public, headers, now=NOW + timedelta(hours=2)) == "stale_date"


@pytest.mark.parametrize(
    ("covered", "lines"),
    [
        ("host date digest", ["host: remote.example", "date: {date}", "digest: {digest}"]),
        (
            "(request-target) date digest",
            ["(request-target): post /ap/inbox", "date: {date}", "digest: {digest}"],
        ),
        (
            "(request-target) host digest",
            ["(request-target): post /ap/inbox", "host: remote.example", "digest: {digest}"],
        ),
    ],
    ids=["no-request-target", "no-host", "no-date"],
)
def test_a_signature_not_covering_target_host_and_date_is_refused(
    key: str, public: str, covered: str, lines: list[str]
) -> None:
    date = "Sun, 06 Dec 2026 12:00:00 GMT"
    headers = {"Host": "remote.example", "Date": date, "Digest": digest(BODY)}
    filled = [line.format(date=date, digest=digest(BODY)) for line in lines]
    assert refusal(public, resigned(key, headers, covered, filled)) == "headers_not_covered"


def test_an_rfc9421_signature_not_covering_the_method_is_refused(key: str, public: str) -> None:
    request = LibraryRequest("POST", INBOX, {"Host": "remote.example"})
    headers = library_signed(key, request, ("@target-uri",), BODY)
    assert refusal(public, headers) == "headers_not_covered"


def test_a_signature_made_for_another_path_is_refused(key: str, public: str) -> None:
    headers = cavage_post(key, url="https://remote.example/ap/c/other/inbox")
    assert refusal(public, headers, path="/ap/c/garden/inbox") == "wrong_target"


def test_a_signature_made_for_another_host_is_refused(key: str, public: str) -> None:
    headers = {**cavage_post(key, url="https://elsewhere.example/ap/inbox"), "Host": "elsewhere.example"}
    assert refusal(public, headers) == "wrong_target"


def test_an_rfc9421_signature_made_for_another_path_is_refused(key: str, public: str) -> None:
    headers = {
        "Host": "remote.example",
        **sign_rfc9421(method="POST", url=INBOX, body=BODY, key_id=KEY_ID, private_key_pem=key, now=NOW),
    }
    assert refusal(public, headers, path="/ap/c/garden/inbox") == "wrong_target"


def test_a_signature_by_another_key_is_refused(key: str) -> None:
    other = proofs.rsa_public_pem(proofs.rsa_private_pem())
    assert refusal(other, cavage_post(key)) == "bad_signature"


def test_a_forged_signature_value_is_refused(key: str, public: str) -> None:
    headers = cavage_post(key)
    forged = base64.b64encode(bytes(128)).decode()
    headers["Signature"] = headers["Signature"].rsplit('signature="', 1)[0] + f'signature="{forged}"'
    assert refusal(public, headers) == "bad_signature"


@pytest.mark.parametrize("algorithm", ["rsa-sha512", "hmac-sha256", "ed25519"])
def test_an_unknown_cavage_algorithm_is_refused(key: str, public: str, algorithm: str) -> None:
    headers = cavage_post(key)
    headers["Signature"] = headers["Signature"].replace("rsa-sha256", algorithm)
    assert refusal(public, headers) == "unknown_algorithm"


def test_an_unknown_rfc9421_algorithm_is_refused(key: str, public: str) -> None:
    headers = {
        "Host": "remote.example",
        **sign_rfc9421(method="POST", url=INBOX, body=BODY, key_id=KEY_ID, private_key_pem=key, now=NOW),
    }
    headers["Signature-Input"] = headers["Signature-Input"].replace("rsa-v1_5-sha256", "ecdsa-p256-sha256")
    assert refusal(public, headers) == "unknown_algorithm"
