// Uploads the visits queued on the phone, in the order they were saved: first the visit and its
// problems (POST /field/visits/new/, JSON), then each photo on its own (POST
// /field/visits/<id>/photos/), so a dropped connection resends only what is missing. Every request
// carries the phone's ids (client_id), so one that reached the server but whose answer was lost is
// answered "uploaded before" the second time, never saved twice.
//
// Shared by the pages and the service worker (Background Sync), hence a classic script setting one
// global, FieldUploader; it needs FieldStore (store.js). It records states, never words: the pages
// say them in the user's language (app.js), and the server's own messages are kept as they came.
//
// Item states: queued → uploading → done, or conflict (the server refused it: kept, with its
// message, for the cadre to read and correct), failed (no connection or a server error: retried
// with a growing pause), signed_out (the session ended: retried after the next sign-in).
(function (root) {
  "use strict";

  const Store = root.FieldStore;
  const LOCK = "sijisiwen-field-upload";
  const BASE_DELAY = 5000;
  const MAX_DELAY = 5 * 60 * 1000;
  const KEEP_DONE = 24 * 60 * 60 * 1000; // an uploaded visit stays listed for a day
  const channel = "BroadcastChannel" in root ? new BroadcastChannel("sijisiwen-field") : null;

  function announce() {
    if (channel) channel.postMessage({ type: "queue-changed" });
  }

  // The pause before the next try: 5 s, 10 s, 20 s … up to 5 minutes, with a little jitter so
  // many phones coming back online at once do not all knock together.
  function backoff(attempts) {
    const delay = Math.min(MAX_DELAY, BASE_DELAY * 2 ** Math.max(0, attempts - 1));
    return delay + Math.floor(Math.random() * 1000);
  }

  class Stop extends Error {}

  function visitBody(item) {
    const body = new FormData();
    const f = item.fields;
    body.append("client_id", item.id);
    for (const name of ["enterprise", "visited_on", "kind", "notes"]) body.append(name, f[name] || "");
    if (f.location) {
      body.append("latitude", f.location.latitude);
      body.append("longitude", f.location.longitude);
      body.append("accuracy_m", f.location.accuracy_m);
      body.append("located_at", f.location.located_at);
    }
    const problems = f.problems || [];
    body.append("problems-TOTAL_FORMS", String(problems.length));
    body.append("problems-INITIAL_FORMS", "0");
    body.append("problems-MIN_NUM_FORMS", "0");
    body.append("problems-MAX_NUM_FORMS", "1000");
    problems.forEach((problem, i) => {
      body.append(`problems-${i}-title`, problem.title || "");
      body.append(`problems-${i}-category`, problem.category || "");
      body.append(`problems-${i}-description`, problem.description || "");
    });
    return body;
  }

  async function post(url, body) {
    const csrf = (await Store.getMeta("csrf")) || "";
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrf },
      });
    } catch (error) {
      return { status: 0, data: {} }; // no connection
    }
    let data = {};
    if ((response.headers.get("Content-Type") || "").includes("json")) {
      data = await response.json().catch(() => ({}));
    } else if (response.ok) {
      return { status: 502, data: {} }; // an HTML page (a proxy's, the login page): try later
    }
    return { status: response.status, data };
  }

  function summary(data) {
    const lines = [data.message || ""];
    for (const messages of Object.values(data.errors || {})) lines.push(...messages);
    return lines.filter(Boolean).join(" ");
  }

  // The answer the server gave to a request that did not go through: what the item becomes.
  async function refused(item, answer) {
    const { status, data } = answer;
    if (status === 401) {
      await Store.update(item.id, (it) => { it.state = "signed_out"; });
      throw new Stop();
    }
    if ([400, 403, 404, 409].includes(status)) {
      await Store.update(item.id, (it) => {
        it.state = "conflict";
        it.code = data.code || String(status);
        it.message = summary(data);
      });
      return;
    }
    await Store.update(item.id, (it) => {
      it.state = "failed";
      it.attempts = (it.attempts || 0) + 1;
      it.retryAt = Date.now() + backoff(it.attempts);
    });
    throw new Stop(); // in order: the next visit waits for this one
  }

  async function uploadPhotos(item) {
    for (const photo of item.photos || []) {
      if (photo.done || photo.error) continue;
      const body = new FormData();
      body.append("client_id", photo.id);
      body.append("photo", photo.blob, photo.name);
      const answer = await post(`${item.url || `/field/visits/${item.visit}/`}photos/`, body);
      announce();
      if (answer.status === 200 || answer.status === 201) {
        await Store.update(item.id, (it) => {
          const p = it.photos.find((q) => q.id === photo.id);
          p.done = true;
          p.blob = null; // on the server now: free the phone's space
        });
      } else if (answer.status === 400 || answer.status === 409) {
        await Store.update(item.id, (it) => {
          it.photos.find((q) => q.id === photo.id).error = summary(answer.data);
        });
      } else {
        return refused(item, answer);
      }
    }
    await Store.update(item.id, (it) => {
      it.state = "done";
      it.done = Date.now();
    });
    return null;
  }

  async function uploadOne(item) {
    await Store.update(item.id, (it) => { it.state = "uploading"; });
    announce();
    if (!item.visit) {
      const answer = await post(item.action || "/field/visits/new/", visitBody(item));
      if (answer.status !== 200 && answer.status !== 201) return refused(item, answer);
      item = await Store.update(item.id, (it) => {
        it.visit = answer.data.visit;
        it.cases = answer.data.cases || [];
        it.url = answer.data.url;
        it.message = answer.data.message || "";
        it.created = answer.data.created;
      });
      announce();
    }
    return uploadPhotos(item);
  }

  // One pass over the queue. Resolves to what is left: {waiting, retryAt} — waiting counts the
  // visits still to go (failed, signed out or not yet tried), retryAt the earliest next try.
  async function pass(options) {
    const now = Date.now();
    const force = options && options.force;
    // Only the signed-in user's visits (the page records who that is): another user's wait.
    const user = await Store.getMeta("user");
    const mine = (item) => !item.user || !user || item.user === user;
    try {
      for (const item of (await Store.queue()).filter(mine)) {
        if (item.state === "done" && now - (item.done || now) > KEEP_DONE) {
          await Store.deleteItem(item.id);
          continue;
        }
        if (item.state === "done" || item.state === "conflict") continue;
        if (item.state === "failed" && !force && item.retryAt > now) break; // its turn is later
        await uploadOne(item);
      }
    } catch (error) {
      if (!(error instanceof Stop)) throw error;
    } finally {
      announce();
    }
    const left = (await Store.queue()).filter((i) => mine(i) && !["done", "conflict"].includes(i.state));
    const retries = left.filter((i) => i.state === "failed").map((i) => i.retryAt);
    return { waiting: left.length, retryAt: retries.length ? Math.min(...retries) : null };
  }

  // Only one uploader at a time across the tabs and the worker (Web Locks where the browser has
  // them). Were two to run anyway, the client ids keep the server from saving anything twice.
  function run(options) {
    if (root.navigator && root.navigator.locks) {
      return root.navigator.locks.request(LOCK, { ifAvailable: true }, (lock) =>
        lock ? pass(options) : { waiting: -1, retryAt: null, busy: true });
    }
    if (run.busy) return Promise.resolve({ waiting: -1, retryAt: null, busy: true });
    run.busy = true;
    return pass(options).finally(() => { run.busy = false; });
  }

  root.FieldUploader = { run, backoff, announce };
})(self);
