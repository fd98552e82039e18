"""FEP-8b32 Object Integrity Proofs: a DataIntegrityProof with the eddsa-jcs-2022 cryptosuite
(W3C Data Integrity EdDSA Cryptosuites v1.0), and the key helpers federation uses.

Pure: no Django. An object signed here carries its own proof, so a dualpower node can check who
wrote it whichever server handed it over (forwarded, fetched from a cache, announced).

eddsa-jcs-2022, in short: the proof configuration (the proof without ``proofValue``, with the
document's ``@context``) and the document without ``proof`` are each canonicalised with JCS
(RFC 8785) and hashed with SHA-256; Ed25519 signs hash(config) || hash(document); the signature
is multibase base58btc ("z…"). Public keys travel as Multikey: "z" + base58btc(0xed01 + key).
"""

from __future__ import annotations

import copy
import hashlib
import math
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

CRYPTOSUITE = "eddsa-jcs-2022"
_ED25519_PUB = b"\xed\x01"  # multicodec ed25519-pub, as an unsigned varint
_ED25519_PRIV = b"\x80\x26"  # multicodec ed25519-priv
_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class ProofRefused(Exception):
    """Why an integrity proof is not accepted (``reason`` is a code: missing, malformed,
    unsupported, bad_key, bad_proof)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- keys -------------------------------------------------------------------------------------


def rsa_private_pem() -> str:
    """A new RSA 2048 private key (PKCS#8 PEM), as Mastodon uses for actors."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _private_pem(key)


def ed25519_private_pem() -> str:
    """A new Ed25519 private key (PKCS#8 PEM)."""
    return _private_pem(ed25519.Ed25519PrivateKey.generate())


def rsa_public_pem(private_pem: str) -> str:
    """The SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY") an actor's publicKeyPem carries."""
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def multikey_public(private_key_pem: str) -> str:
    """The Ed25519 public key of a private PEM as Multikey publicKeyMultibase ("z6Mk…")."""
    return multikey_encode(_ed25519_private(private_key_pem).public_key())


def multikey_encode(public_key: ed25519.Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58_encode(_ED25519_PUB + raw)


def multikey_decode(multibase: str) -> ed25519.Ed25519PublicKey:
    """An Ed25519 public key from its Multikey form; ValueError if it is not one."""
    if not multibase.startswith("z"):
        raise ValueError("not base58btc multibase")
    data = base58_decode(multibase[1:])
    if len(data) != 34 or not data.startswith(_ED25519_PUB):
        raise ValueError("not an Ed25519 Multikey")
    return ed25519.Ed25519PublicKey.from_public_bytes(data[2:])


def ed25519_private_from_multibase(multibase: str) -> str:
    """A PEM from a Multikey secretKeyMultibase (0x8026 + seed), as test vectors publish keys."""
    data = base58_decode(multibase[1:]) if multibase.startswith("z") else b""
    if len(data) != 34 or not data.startswith(_ED25519_PRIV):
        raise ValueError("not an Ed25519 Multikey secret key")
    return _private_pem(ed25519.Ed25519PrivateKey.from_private_bytes(data[2:]))


def _private_pem(key: rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _ed25519_private(pem: str) -> ed25519.Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise TypeError("integrity proofs are made with an Ed25519 key")
    return key


def base58_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = _BASE58[digit] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


def base58_decode(text: str) -> bytes:
    number = 0
    for char in text:
        digit = _BASE58.find(char)
        if digit < 0:
            raise ValueError("not base58")
        number = number * 58 + digit
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


# -- JCS (RFC 8785) ---------------------------------------------------------------------------

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 (JCS) serialisation of a JSON value, as UTF-8 bytes."""
    return _jcs(value).encode("utf-8")


def _jcs(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return _number(float(value))
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_jcs(item) for item in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("JSON object keys must be strings")
        # Properties sort by their UTF-16 code units (what ECMAScript compares), not code points.
        keys = sorted(value, key=lambda key: key.encode("utf-16-be", "surrogatepass"))
        return "{" + ",".join(_string(key) + ":" + _jcs(value[key]) for key in keys) + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _SHORT_ESCAPES:
            out.append(_SHORT_ESCAPES[char])
        elif char < " ":
            out.append(f"\\u{ord(char):04x}")
        elif "\ud800" <= char <= "\udfff":
            raise ValueError("lone surrogate in a JSON string")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _number(number: float) -> str:
    """ECMAScript Number.prototype.toString (ECMA-262 Number::toString), which JCS requires."""
    if not math.isfinite(number):
        raise ValueError("NaN and Infinity are not JSON")
    if number == 0:
        return "0"  # -0 too
    sign = "-" if number < 0 else ""
    # repr() gives the shortest digits that round-trip, the same digits ECMAScript picks.
    _, digit_tuple, exponent = Decimal(repr(abs(number))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    assert isinstance(exponent, int)
    k = len(digits)
    n = exponent + len("".join(map(str, digit_tuple)))  # value = 0.digits × 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        text = f"{mantissa}e{'+' if n - 1 >= 0 else '-'}{abs(n - 1)}"
    return sign + text


# -- proofs -----------------------------------------------------------------------------------


def _xsd_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hash_data(proof_config: dict[str, Any], document: dict[str, Any]) -> bytes:
    return (
        hashlib.sha256(canonical_json(proof_config)).digest()
        + hashlib.sha256(canonical_json(document)).digest()
    )


def proof_add(
    obj: dict[str, Any], *, private_key_pem: str, verification_method: str, created: datetime | None = None
) -> dict[str, Any]:
    """A copy of ``obj`` with a FEP-8b32 ``proof`` (any earlier proof is replaced: FEP-8b32 asks
    for at most one)."""
    document = {key: copy.deepcopy(value) for key, value in obj.items() if key != "proof"}
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
        "created": _xsd_datetime(created or datetime.now(UTC)),
    }
    if "@context" in document:
        proof["@context"] = copy.deepcopy(document["@context"])
    signature = _ed25519_private(private_key_pem).sign(_hash_data(proof, document))
    proof["proofValue"] = "z" + base58_encode(signature)
    return {**document, "proof": proof}


def proof_verify(obj: dict[str, Any], *, public_key_multibase: str) -> None:
    """Check ``obj``'s eddsa-jcs-2022 proof against the signer's Multikey; ProofRefused if not.

    The caller checks that ``proof.verificationMethod`` belongs to the object's actor (its
    assertionMethod) and gives us that key."""
    proof = obj.get("proof")
    if proof is None:
        raise ProofRefused("missing")
    if not isinstance(proof, dict) or not isinstance(proof.get("proofValue"), str):
        raise ProofRefused("malformed")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofRefused("unsupported")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofRefused("malformed")
    try:
        public_key = multikey_decode(public_key_multibase)
    except ValueError as error:
        raise ProofRefused("bad_key") from error
    value = proof["proofValue"]
    try:
        signature = base58_decode(value[1:]) if value.startswith("z") else b""
    except ValueError:
        signature = b""
    if len(signature) != 64:
        raise ProofRefused("malformed")
    # FEP-8b32: a Linked Data Signature (Mastodon's "signature") is added after the proof and
    # removed before verifying it.
    document = {key: item for key, item in obj.items() if key != "proof"}
    if isinstance(document.get("signature"), dict):
        del document["signature"]
    config = {key: item for key, item in proof.items() if key != "proofValue"}
    if "@context" in config:
        # The proof's context must be where the document's begins (Data Integrity §4.5).
        given = document.get("@context")
        wanted = config["@context"]
        given_list = given if isinstance(given, list) else [given]
        wanted_list = wanted if isinstance(wanted, list) else [wanted]
        if given_list[: len(wanted_list)] != wanted_list:
            raise ProofRefused("bad_proof")
        document["@context"] = wanted
    elif "@context" in document:
        config["@context"] = document["@context"]
    try:
        public_key.verify(signature, _hash_data(config, document))
    except InvalidSignature as error:
        raise ProofRefused("bad_proof") from error
    except (TypeError, ValueError, OverflowError) as error:  # a value JCS cannot serialise
        raise ProofRefused("malformed") from error
