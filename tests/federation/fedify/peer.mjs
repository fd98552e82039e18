// A small ActivityPub server built with Fedify (a peer no one here wrote), for
// tests/federation/test_fedify.py. One Person actor, "peer", on http://127.0.0.1:$PORT.
//
// Fedify serves the actor, WebFinger, NodeInfo and the inbox itself (`federation.fetch`); this
// file adds only a few control routes the test drives and reads:
//
//   GET  /control/state   what the inbox received, the followers, what was sent and how it was
//                         signed (the scheme of each request in and out, and its status)
//   POST /control/follow  {"object": actor URI}: send a Follow
//   POST /control/post    {"content": "..."}: a Create(Note) to the followers
//   POST /control/reply   {"to": actor URI, "inReplyTo": object URI, "content": "..."}: a
//                         Create(Note) replying, sent to that actor
//   POST /control/vote    {"to": actor URI, "inReplyTo": Question URI, "option": name}: a poll
//                         answer as Mastodon sends it (Create(Note) with a name, no content)
//   POST /control/lookup  {"uri": Question URI}: the Question fetched at its id and read with
//                         Fedify's own vocabulary (its options and counts, as below)
//
// Every Question that arrives in a Create or Update is also read with Fedify's vocabulary
// (state.questions): which of oneOf/anyOf it has, each option's name and count, votersCount,
// endTime, closed. That is how a Fedify application sees the poll, not just the JSON we sent.
//
// Loopback addresses are private, which Fedify refuses to fetch by default: this peer turns its
// `allowPrivateAddress` option on. Never do that outside tests.
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";
import { createFederation, generateCryptoKeyPair, MemoryKvStore } from "@fedify/fedify";
import {
  Accept,
  Activity,
  Create,
  Endpoints,
  Follow,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Question,
  Update,
} from "@fedify/vocab";

const PORT = Number(process.env.PORT ?? "0");
const ORIGIN = `http://127.0.0.1:${PORT}`;
const NAME = "peer";

const state = {
  received: [], // {type, id, actor, json}
  followers: new Map(), // actor id -> {id, inboxId, sharedInbox}
  requests: [], // {direction: "in"|"out", method, url, scheme, status}
  errors: [],
  questions: [], // {activity, ...readQuestion()}: every Question received, as Fedify reads it
};
const notes = new Map(); // note id -> Note, served at their ids

function schemeOf(headers) {
  if (headers.get("signature-input")) return "rfc9421";
  if (headers.get("signature")) return "cavage";
  return "unsigned";
}

// Every outbound request Fedify makes goes through the global fetch: record how each POST was
// signed and what the other side answered (Fedify knocks with RFC 9421 first, then cavage).
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const request = new Request(input, init);
  const response = await realFetch(request.clone());
  if (request.method === "POST") {
    state.requests.push({
      direction: "out",
      method: request.method,
      url: request.url,
      scheme: schemeOf(request.headers),
      status: response.status,
    });
  }
  return response;
};

const rsa = await generateCryptoKeyPair("RSASSA-PKCS1-v1_5");
const ed25519 = await generateCryptoKeyPair("Ed25519");

const federation = createFederation({
  kv: new MemoryKvStore(),
  origin: ORIGIN,
  allowPrivateAddress: true, // loopback peers: tests only
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== NAME) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Fedify peer",
      summary: "A test actor served by Fedify",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((key) => key.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === NAME ? [rsa, ed25519] : []));

federation.setFollowersDispatcher("/users/{identifier}/followers", async (_ctx, identifier) => {
  if (identifier !== NAME) return null;
  const items = [...state.followers.values()].map((f) => ({
    id: new URL(f.id),
    inboxId: new URL(f.inboxId),
    endpoints: f.sharedInbox ? { sharedInbox: new URL(f.sharedInbox) } : null,
  }));
  return { items };
});

federation.setObjectDispatcher(Note, "/notes/{id}", async (ctx, values) => {
  return notes.get(ctx.getObjectUri(Note, values).href) ?? null;
});

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  // One listener for every activity: record it; answer a Follow with an Accept.
  .on(Activity, async (ctx, activity) => {
    const json = await activity.toJsonLd();
    state.received.push({
      type: json.type,
      id: activity.id?.href ?? null,
      actor: activity.actorId?.href ?? null,
      json,
    });
    if (activity instanceof Create || activity instanceof Update) {
      const object = await activity.getObject(ctx);
      if (object instanceof Question) {
        state.questions.push({ activity: json.type, ...(await readQuestion(object)) });
      }
    }
    if (activity instanceof Follow && activity.objectId?.href === ctx.getActorUri(NAME).href) {
      const follower = await activity.getActor(ctx);
      if (follower == null || follower.id == null || follower.inboxId == null) return;
      state.followers.set(follower.id.href, {
        id: follower.id.href,
        inboxId: follower.inboxId.href,
        sharedInbox: follower.endpoints?.sharedInbox?.href ?? null,
      });
      await ctx.sendActivity(
        { identifier: NAME },
        follower,
        new Accept({
          id: new URL(`${ORIGIN}/activities/${randomUUID()}`),
          actor: ctx.getActorUri(NAME),
          object: activity,
        }),
      );
    }
  })
  .onError((_ctx, error) => {
    state.errors.push(String(error?.stack ?? error));
  });

// A Question as a Fedify application reads it: options from exclusiveOptions (oneOf) or
// inclusiveOptions (anyOf), each a Note with a name and a replies collection counting answers.
async function readQuestion(question) {
  const options = async (iterable) => {
    const found = [];
    for await (const option of iterable) {
      const replies = await option.getReplies();
      found.push({ name: option.name?.toString() ?? null, count: replies?.totalItems ?? null });
    }
    return found;
  };
  return {
    id: question.id?.href ?? null,
    oneOf: await options(question.getExclusiveOptions()),
    anyOf: await options(question.getInclusiveOptions()),
    voters: question.voters,
    endTime: question.endTime?.toString() ?? null,
    closed: question.closed == null ? null : String(question.closed),
    content: question.content?.toString() ?? null,
  };
}

function context() {
  return federation.createContext(new URL(ORIGIN), undefined);
}

function newNote(ctx, fields) {
  const id = randomUUID();
  const note = new Note({
    id: ctx.getObjectUri(Note, { id }),
    attribution: ctx.getActorUri(NAME),
    ...fields,
  });
  notes.set(note.id.href, note);
  return note;
}

async function control(path, body) {
  const ctx = context();
  const me = ctx.getActorUri(NAME);
  if (path === "/control/follow") {
    const target = await ctx.lookupObject(body.object);
    if (target == null || target.id == null) throw new Error(`cannot look up ${body.object}`);
    const follow = new Follow({
      id: new URL(`${ORIGIN}/activities/${randomUUID()}`),
      actor: me,
      object: target.id,
    });
    await ctx.sendActivity({ identifier: NAME }, target, follow);
    return { follow: follow.id.href };
  }
  if (path === "/control/post") {
    const note = newNote(ctx, {
      content: body.content,
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri(NAME),
    });
    const create = new Create({
      id: new URL(`${ORIGIN}/activities/${randomUUID()}`),
      actor: me,
      object: note,
      tos: [PUBLIC_COLLECTION],
      ccs: [ctx.getFollowersUri(NAME)],
    });
    await ctx.sendActivity({ identifier: NAME }, "followers", create, { preferSharedInbox: true });
    return { note: note.id.href, create: create.id.href };
  }
  if (path === "/control/reply") {
    const target = await ctx.lookupObject(body.to);
    if (target == null || target.id == null) throw new Error(`cannot look up ${body.to}`);
    const note = newNote(ctx, {
      content: body.content,
      replyTarget: new URL(body.inReplyTo),
      tos: [target.id],
      ccs: [PUBLIC_COLLECTION],
    });
    const create = new Create({
      id: new URL(`${ORIGIN}/activities/${randomUUID()}`),
      actor: me,
      object: note,
      tos: [target.id],
      ccs: [PUBLIC_COLLECTION],
    });
    await ctx.sendActivity({ identifier: NAME }, target, create);
    return { note: note.id.href, create: create.id.href };
  }
  if (path === "/control/vote") {
    // Mastodon's answer to a poll: a Note naming the option, in reply to the Question, with no
    // content, sent to the poll's author only.
    const target = await ctx.lookupObject(body.to);
    if (target == null || target.id == null) throw new Error(`cannot look up ${body.to}`);
    const note = newNote(ctx, {
      name: body.option,
      replyTarget: new URL(body.inReplyTo),
      to: target.id,
    });
    const create = new Create({
      id: new URL(`${ORIGIN}/activities/${randomUUID()}`),
      actor: me,
      object: note,
      to: target.id,
    });
    await ctx.sendActivity({ identifier: NAME }, target, create);
    return { note: note.id.href, create: create.id.href };
  }
  if (path === "/control/lookup") {
    const found = await ctx.lookupObject(body.uri);
    if (!(found instanceof Question)) throw new Error(`${body.uri} is not a Question`);
    return await readQuestion(found);
  }
  return null;
}

function snapshot() {
  return {
    actor: `${ORIGIN}/users/${NAME}`,
    received: state.received,
    followers: [...state.followers.keys()],
    requests: state.requests,
    errors: state.errors,
    questions: state.questions,
  };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function send(res, status, value) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(value));
}

const server = createServer(async (req, res) => {
  try {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", ORIGIN);
    if (url.pathname === "/control/state") return send(res, 200, snapshot());
    if (url.pathname.startsWith("/control/")) {
      const result = await control(url.pathname, JSON.parse(body.toString() || "{}"));
      return result == null ? send(res, 404, { error: "no such control" }) : send(res, 200, result);
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
      else if (value != null) headers.set(name, value);
    }
    const request = new Request(url, {
      method: req.method,
      headers,
      body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
    });
    const response = await federation.fetch(request, {
      contextData: undefined,
      onNotFound: () => new Response("Not found", { status: 404 }),
      onNotAcceptable: () => new Response("Not acceptable", { status: 406 }),
    });
    if (req.method === "POST") {
      state.requests.push({
        direction: "in",
        method: req.method,
        url: url.href,
        scheme: schemeOf(headers),
        status: response.status,
      });
    }
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    state.errors.push(String(error?.stack ?? error));
    send(res, 500, { error: String(error?.message ?? error) });
  }
});

server.listen(PORT, "127.0.0.1", () => {
  console.log(`fedify peer listening on ${ORIGIN}`);
});
