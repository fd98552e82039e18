/* dualpower's service worker: pages a person visited stay readable offline.
 *
 * Served at /sw.js by dualpower/web/pwa.py, which defines VERSION, PRECACHE, OFFLINE_URL and
 * STATIC_URL above this text. Our own code, nothing from third parties.
 *
 * - Static files: from the cache first when their names carry a hash of their content.
 * - Pages (navigations, GET only): from the network first; a copy of each page that arrived is
 *   kept with the time it was saved. Offline, the kept copy is served and its hidden notice
 *   (#offline-notice, written by the page in the reader's language) gets that time, which
 *   static/js/offline.js shows. A page never visited gets the offline page.
 * - Never kept: POST answers, /api/, /accounts/, /admin/, answers marked no-store, downloads.
 * - Signing in or out forgets every kept page (sign-out also sends Clear-Site-Data).
 * - A new VERSION (a new deployment) drops the caches of the one before.
 */
"use strict";

const STATIC_CACHE = "dp-static-" + VERSION;
const PAGES_CACHE = "dp-pages-" + VERSION;
const NEVER_KEPT = ["/api/", "/accounts/", "/admin/", "/i18n/", "/media/", "/sw.js"];
const SAVED_AT = "X-DP-Saved-At";
const MARKER = 'data-saved-at=""';

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(STATIC_CACHE);
    await cache.addAll(PRECACHE);
    // The offline page as a stranger sees it: nothing of the person signed in.
    const offline = await fetch(OFFLINE_URL, { credentials: "omit" });
    if (offline.ok) await cache.put(OFFLINE_URL, offline);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("dp-") && name !== STATIC_CACHE && name !== PAGES_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== "GET") {
    // Signing in or out (or any change of account): the pages kept were another person's view.
    if (url.pathname.startsWith("/accounts/")) event.waitUntil(caches.delete(PAGES_CACHE));
    return;
  }
  if (NEVER_KEPT.some((prefix) => url.pathname.startsWith(prefix))) {
    // Never kept, but offline a page of these gets the offline page, not the browser's error.
    if (request.mode === "navigate") event.respondWith(fetch(request).catch(offlinePage));
    return;
  }
  if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(cacheFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, request));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  // A name with its content's hash in it (css/dualpower.0a1b2c3d4e5f.css) never changes: the copy
  // kept is used. Without one (development), the network first, the copy when offline.
  const hashed = /\.[0-9a-f]{12}\.[a-z0-9]+$/.test(new URL(request.url).pathname);
  const hit = hashed ? await cache.match(request, { ignoreVary: true }) : undefined;
  if (hit) return hit;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === "basic") await cache.put(request, response.clone());
    return response;
  } catch (offline) {
    return (await cache.match(request, { ignoreVary: true })) || Response.error();
  }
}

function keepable(response) {
  const type = response.headers.get("Content-Type") || "";
  const control = response.headers.get("Cache-Control") || "";
  const disposition = response.headers.get("Content-Disposition") || "";
  return response.status === 200 && response.type === "basic" && !response.redirected
    && type.startsWith("text/html") && !/no-store|private/.test(control) && !/attachment/.test(disposition);
}

async function networkFirst(event, request) {
  let response;
  try {
    response = await fetch(request);
  } catch (offline) {
    return savedCopy(request);
  }
  if (keepable(response)) {
    const headers = new Headers(response.headers);
    headers.set(SAVED_AT, String(Date.now()));
    const copy = new Response(await response.clone().blob(), { status: 200, headers });
    event.waitUntil(caches.open(PAGES_CACHE).then((pages) => pages.put(request.url, copy)));
  }
  return response;
}

async function savedCopy(request) {
  const pages = await caches.open(PAGES_CACHE);
  const saved = await pages.match(request.url, { ignoreVary: true });
  if (!saved) return offlinePage();
  const savedAt = Number(saved.headers.get(SAVED_AT)) || 0;
  const text = (await saved.text()).replace(MARKER, `data-saved-at="${savedAt}"`);
  const headers = new Headers(saved.headers);
  headers.delete("Content-Length");
  return new Response(text, { status: 200, headers });
}

async function offlinePage() {
  const offline = await caches.match(OFFLINE_URL, { ignoreVary: true });
  return offline || Response.error();
}
