"""FEP-8b32 integrity proofs (eddsa-jcs-2022), JCS (RFC 8785) and the key helpers."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from dualpower.federation.proofs import (
    ProofRefused,
    base58_decode,
    canonical_json,
    ed25519_private_from_multibase,
    ed25519_private_pem,
    multikey_decode,
    multikey_public,
    proof_add,
    proof_verify,
    rsa_private_pem,
    rsa_public_pem,
)

NOTE = {
    "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"],
    "id": "https://here.example/ap/c/garden/activities/1",
    "type": "Create",
    "actor": "https://here.example/ap/c/garden",
    "object": {"type": "Note", "content": "Seed swap on Saturday, 10:00", "tag": [], "n": 1.5},
}
METHOD = "https://here.example/ap/c/garden#ed25519-key"

# W3C Data Integrity EdDSA Cryptosuites v1.0, test vectors for eddsa-jcs-2022
# (w3c/vc-di-eddsa TestVectors/keyPair.json and TestVectors/eddsa-jcs-2022/signedJCS.json).
W3C_PUBLIC = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
W3C_SECRET = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq"
W3C_CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"]
W3C_UNSIGNED = {
    "@context": W3C_CONTEXT,
    "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
    "type": ["VerifiableCredential", "AlumniCredential"],
    "name": "Alumni Credential",
    "description": "A minimum viable example of an Alumni Credential.",
    "issuer": "https://vc.example/issuers/5678",
    "validFrom": "2023-01-01T00:00:00Z",
    "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
}
W3C_PROOF: dict[str, Any] = {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2023-02-24T23:36:38Z",
    "verificationMethod": f"https://vc.example/issuers/5678#{W3C_PUBLIC}",
    "proofPurpose": "assertionMethod",
    "@context": W3C_CONTEXT,
    "proofValue": "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4",
}
W3C_SIGNATURE_HEX = (
    "fc91dec6565f35fbe185a77352e7fc512f95d1904da305cfef32ab8135469301"
    "f5a72d4e7a58368fc6ffc497b44633993bac054e3bc1436e3c846db8f1544503"
)
W3C_CANONICAL_DOCUMENT = (
    '{"@context":["https://www.w3.org/ns/credentials/v2","https://www.w3.org/ns/credentials/examples/v2"],'
    '"credentialSubject":{"alumniOf":"The School of Examples","id":"did:example:abcdefgh"},'
    '"description":"A minimum viable example of an Alumni Credential.",'
    '"id":"urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33","issuer":"https://vc.example/issuers/5678",'
    '"name":"Alumni Credential","type":["VerifiableCredential","AlumniCredential"],'
    '"validFrom":"2023-01-01T00:00:00Z"}'
)


@pytest.fixture(scope="module")
def key() -> str:
    return ed25519_private_pem()


def refused(obj: dict, multibase: str) -> str:
    with pytest.raises(ProofRefused) as error:
        proof_verify(obj, public_key_multibase=multibase)
    return error.value.reason


# -- proofs -------------------------------------------------------------------------------------


def test_a_signed_activity_round_trips(key: str) -> None:
    signed = proof_add(
        NOTE,
        private_key_pem=key,
        verification_method=METHOD,
        created=datetime(2026, 12, 6, 12, 0, 0, 500, tzinfo=UTC),
    )
    assert "proof" not in NOTE
    proof = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == METHOD
    assert proof["created"] == "2026-12-06T12:00:00Z"
    assert proof["@context"] == NOTE["@context"]
    assert proof["proofValue"].startswith("z")
    proof_verify(signed, public_key_multibase=multikey_public(key))
    # Key order and whitespace on the wire do not matter: JCS canonicalises.
    reordered = json.loads(json.dumps(dict(reversed(list(signed.items()))), indent=2))
    proof_verify(reordered, public_key_multibase=multikey_public(key))


def test_a_linked_data_signature_added_after_the_proof_is_ignored(key: str) -> None:
    signed = proof_add(NOTE, private_key_pem=key, verification_method=METHOD)
    signed["signature"] = {"type": "RsaSignature2017", "creator": METHOD, "signatureValue": "..."}
    proof_verify(signed, public_key_multibase=multikey_public(key))


def test_a_tampered_object_is_refused(key: str) -> None:
    signed = proof_add(NOTE, private_key_pem=key, verification_method=METHOD)
    tampered = json.loads(json.dumps(signed))
    tampered["object"]["content"] = "Seed swap cancelled"
    assert refused(tampered, multikey_public(key)) == "bad_proof"


def test_a_tampered_proof_is_refused(key: str) -> None:
    signed = proof_add(NOTE, private_key_pem=key, verification_method=METHOD)
    signed["proof"]["verificationMethod"] = "https://evil.example/actor#ed25519-key"
    assert refused(signed, multikey_public(key)) == "bad_proof"


def test_a_proof_by_another_key_is_refused(key: str) -> None:
    signed = proof_add(NOTE, private_key_pem=key, verification_method=METHOD)
    assert refused(signed, multikey_public(ed25519_private_pem())) == "bad_proof"


def test_an_object_without_proof_is_refused(key: str) -> None:
    assert refused(dict(NOTE), multikey_public(key)) == "missing"


def test_another_cryptosuite_is_refused(key: str) -> None:
    signed = proof_add(NOTE, private_key_pem=key, verification_method=METHOD)
    signed["proof"]["cryptosuite"] = "eddsa-rdfc-2022"
    assert refused(signed, multikey_public(key)) == "unsupported"


def test_a_key_that_is_not_an_ed25519_multikey_is_refused(key: str) -> None:
    signed = proof_add(NOTE, private_key_pem=key, verification_method=METHOD)
    assert refused(signed, "zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme") == "bad_key"


def test_the_w3c_eddsa_jcs_2022_vector_verifies() -> None:
    proof_verify({**W3C_UNSIGNED, "proof": W3C_PROOF}, public_key_multibase=W3C_PUBLIC)
    assert base58_decode(W3C_PROOF["proofValue"][1:]).hex() == W3C_SIGNATURE_HEX
    assert canonical_json(W3C_UNSIGNED).decode() == W3C_CANONICAL_DOCUMENT


def test_signing_the_w3c_vector_reproduces_its_proof() -> None:
    pem = ed25519_private_from_multibase(W3C_SECRET)
    assert multikey_public(pem) == W3C_PUBLIC
    signed = proof_add(
        W3C_UNSIGNED,
        private_key_pem=pem,
        verification_method=W3C_PROOF["verificationMethod"],
        created=datetime(2023, 2, 24, 23, 36, 38, tzinfo=UTC),
    )
    assert signed["proof"]["proofValue"] == W3C_PROOF["proofValue"]


# -- JCS (RFC 8785) -----------------------------------------------------------------------------


def test_jcs_sample_of_rfc_8785_section_3_2_2() -> None:
    given = json.loads(
        '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
        r' "string": "\u20ac$\u000F\u000aA\u0027\u0042\u0022\u005c\\\"\/", "literals": [null, true, false]}'
    )
    expected = (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
    assert canonical_json(given) == expected.encode()


def test_jcs_orders_properties_by_utf16_code_units() -> None:
    # RFC 8785 section 3.2.3: the emoji (surrogates D83D DE00) sorts before U+FB33.
    given = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\U0001f600": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis",
    }
    values = [value for _, value in json.loads(canonical_json(given)).items()]
    assert values == [
        "Carriage Return",
        "One",
        "Control",
        "Latin Small Letter O With Diaeresis",
        "Euro Sign",
        "Emoji: Grinning Face",
        "Hebrew Letter Dalet With Dagesh",
    ]


@pytest.mark.parametrize(
    ("bits", "text"),
    [  # RFC 8785 appendix B
        ("0000000000000000", "0"),
        ("8000000000000000", "0"),
        ("0000000000000001", "5e-324"),
        ("8000000000000001", "-5e-324"),
        ("7fefffffffffffff", "1.7976931348623157e+308"),
        ("ffefffffffffffff", "-1.7976931348623157e+308"),
        ("4340000000000000", "9007199254740992"),
        ("c340000000000000", "-9007199254740992"),
        ("4430000000000000", "295147905179352830000"),
        ("44b52d02c7e14af5", "9.999999999999997e+22"),
        ("44b52d02c7e14af6", "1e+23"),
        ("44b52d02c7e14af7", "1.0000000000000001e+23"),
        ("444b1ae4d6e2ef4e", "999999999999999700000"),
        ("444b1ae4d6e2ef4f", "999999999999999900000"),
        ("444b1ae4d6e2ef50", "1e+21"),
        ("3eb0c6f7a0b5ed8c", "9.999999999999997e-7"),
        ("3eb0c6f7a0b5ed8d", "0.000001"),
        ("41b3de4355555553", "333333333.3333332"),
        ("41b3de4355555554", "333333333.33333325"),
        ("41b3de4355555555", "333333333.3333333"),
        ("41b3de4355555556", "333333333.3333334"),
        ("41b3de4355555557", "333333333.33333343"),
        ("becbf647612f3696", "-0.0000033333333333333333"),
        ("43143ff3c1cb0959", "1424953923781206.2"),
    ],
)
def test_jcs_numbers_follow_ecmascript(bits: str, text: str) -> None:
    assert canonical_json(struct.unpack(">d", bytes.fromhex(bits))[0]) == text.encode()


def test_jcs_integers_and_escapes() -> None:
    assert (
        canonical_json([10, -3, 2**53, True, "\u2028\x1f\t"])
        == b'[10,-3,9007199254740992,true,"\xe2\x80\xa8\\u001f\\t"]'
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "\ud800", {1: "x"}])
def test_jcs_refuses_what_json_cannot_carry(value: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        canonical_json(value)


# -- keys ---------------------------------------------------------------------------------------


def test_key_helpers_make_pems_of_the_right_kind() -> None:
    private = serialization.load_pem_private_key(rsa_private_pem().encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey) and private.key_size == 2048
    pem = rsa_public_pem(rsa_private_pem())
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert isinstance(serialization.load_pem_public_key(pem.encode()), rsa.RSAPublicKey)
    ed = serialization.load_pem_private_key(ed25519_private_pem().encode(), password=None)
    assert isinstance(ed, ed25519.Ed25519PrivateKey)


def test_multikey_is_z6mk_and_decodes_to_the_same_key(key: str) -> None:
    multibase = multikey_public(key)
    assert multibase.startswith("z6Mk") and len(multibase) == 48
    private = serialization.load_pem_private_key(key.encode(), password=None)
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert (
        multikey_decode(multibase).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        == raw
    )
