// Fedify's half of test_fedify_interop.py: reads JSON on stdin, signs and verifies with Fedify's
// own code (signRequest / verifyRequest / signObject / verifyObject), writes JSON on stdout.
const root = process.argv[2]; // tests/federation/fedify/node_modules
const F = await import(`${root}/@fedify/fedify/dist/mod.js`);
const V = await import(`${root}/@fedify/vocab/dist/mod.js`);
import { readFileSync } from "node:fs";
import { createPrivateKey } from "node:crypto";

const input = JSON.parse(readFileSync(0, "utf8"));
const der = (pem) => createPrivateKey(pem).export({ format: "der", type: "pkcs8" });
const rsa = await crypto.subtle.importKey("pkcs8", der(input.rsaPrivate),
  { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]);
const ed = await crypto.subtle.importKey("pkcs8", der(input.edPrivate), "Ed25519", true, ["sign"]);
// The actor document our actors.py serves, reduced to what verification reads.
const actor = {
  "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
    "https://w3id.org/security/data-integrity/v1", "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1"],
  id: input.actor, type: "Group", preferredUsername: "garden", inbox: `${input.actor}/inbox`,
  publicKey: { id: input.keyId, owner: input.actor, publicKeyPem: input.rsaPublic },
  assertionMethod: [{ id: input.proofKeyId, type: "Multikey", controller: input.actor,
    publicKeyMultibase: input.multibase }],
};
const documentLoader = async (url) => ({ contextUrl: null, documentUrl: url, document: actor });
const out = { signed: {}, verified: {} };
for (const spec of ["draft-cavage-http-signatures-12", "rfc9421"]) {
  const request = new Request(input.url, { method: "POST", body: input.body,
    headers: { "Content-Type": "application/activity+json" } });
  out.signed[spec] = Object.fromEntries((await F.signRequest(request, rsa, new URL(input.keyId), { spec })).headers);
}
for (const [spec, headers] of Object.entries(input.ours)) {
  const request = new Request(input.url, { method: "POST", body: input.body, headers });
  out.verified[spec] = (await F.verifyRequest(request, { documentLoader, spec })) != null;
}
out.verified.proof = (await F.verifyObject(V.Create, JSON.parse(input.activity), { documentLoader })) != null;
const create = new V.Create({ id: new URL(`${input.actor}/activities/9`), actor: new URL(input.actor),
  object: new V.Note({ id: new URL(`${input.actor}/notes/9`), content: "Seed swap on Saturday" }) });
out.proofed = await (await F.signObject(create, ed, new URL(input.proofKeyId))).toJsonLd({ format: "compact" });
process.stdout.write(JSON.stringify(out));
