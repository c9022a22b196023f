// The cadre's service worker, served at /field/sw.js (fieldwork/offline.py puts FIELD_CONFIG in
// front of this file: the version, the pages and the static files to keep, by their served names).
//
// - Install: keep the app shell — 我的企业, the visit form, the offline data and the files they load.
// - Pages under /field/: network first (always the newest when there is a signal), the kept copy
//   when there is none. A page is kept only when it is a real answer (200, not a redirect to the
//   sign-in page). Static files: the kept copy first (their names change when they do).
// - /field/offline/data.json: network first, the kept copy offline (app.js shows its age).
// - Background Sync ("field-upload"): the queued visits are uploaded even after the page is closed,
//   where the browser has it; elsewhere the pages upload on open and on the `online` event.
/* global FIELD_CONFIG, FieldUploader */
"use strict";

importScripts(...FIELD_CONFIG.scripts);

const PREFIX = "sijisiwen-field-";
const CACHE = PREFIX + FIELD_CONFIG.version;
const PAGES = new Set(FIELD_CONFIG.pages);
const STATIC = new Set(FIELD_CONFIG.static);

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(FIELD_CONFIG.static);
    // The pages are the cadre's own: fetched with the session's cookie. Signed out, they answer
    // with the sign-in page, which is not kept.
    await Promise.all(FIELD_CONFIG.pages.map(async (url) => {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (keepable(response)) await cache.put(url, response);
      } catch (error) { /* offline while installing: kept on the next visit */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

// The key a page is kept under: its path, without the query (?enterprise=… opens the same form).
function pageKey(url) {
  return PAGES.has(url.pathname) ? url.pathname : null;
}

async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (keepable(response)) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw error;
  }
}

async function cacheFirst(request) {
  const kept = await caches.match(request, { cacheName: CACHE });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST") {
    // 保存走访 sent while the phone believed it had a signal, and the connection dropped: back to
    // the form (kept), which puts the draft in the upload queue — not the browser's error page.
    if (request.mode === "navigate" && url.pathname === FIELD_CONFIG.visitForm) {
      event.respondWith(fetch(request).catch(() =>
        Response.redirect(`${url.pathname}?unsent=1`, 303)));
    }
    return; // other posts (the uploader's among them) go to the network as they are
  }
  if (request.method !== "GET") return;
  if (STATIC.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
    return;
  }
  const key = pageKey(url);
  if (key && (request.mode === "navigate" || url.pathname === FIELD_CONFIG.offlineData)) {
    event.respondWith(networkFirst(request, key));
  } else if (request.mode === "navigate" && url.pathname.startsWith(FIELD_CONFIG.scope)) {
    // Another page of mine (an enterprise, a visit) is not kept: offline, 我的企业 rather than the
    // browser's error page.
    event.respondWith(fetch(request).catch(async (error) => {
      const kept = await caches.match(FIELD_CONFIG.scope, { cacheName: CACHE });
      if (kept) return kept;
      throw error;
    }));
  }
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "field-upload") return;
  // A rejected promise tells the browser to try this sync again later.
  event.waitUntil(FieldUploader.run({ force: true }).then((left) => {
    if (left.waiting > 0) throw new Error("visits still waiting for upload");
  }));
});
