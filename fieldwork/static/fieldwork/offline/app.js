// What every page of the cadre's app does offline-wise: register the service worker, keep the
// CSRF token where the uploader (and the worker) can read it, upload the queue when the page opens,
// when the connection returns and when a retry is due, and show the queue — "待上传 N 条" with each
// visit's state — in #upload-queue, announcing changes through its live region.
//
// Words come from the page (data-* attributes of #upload-queue, translated by Django), so the
// script holds no user-facing text.
(function () {
  "use strict";

  if (!("indexedDB" in window) || !window.FieldStore) return;
  const Store = window.FieldStore;
  const Uploader = window.FieldUploader;
  const app = document.getElementById("field-app");
  // Whose phone it is right now. What another user kept here (they never signed out) is neither
  // shown nor uploaded under this user's name: it waits for them.
  const user = app ? app.dataset.user : "";
  const mine = (item) => !item.user || item.user === user;
  const panel = document.getElementById("upload-queue");
  const words = panel ? panel.dataset : {};
  let retryTimer = null;

  function say(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  // ---- uploading -------------------------------------------------------------------------------

  async function upload(options) {
    if (!navigator.onLine) return null;
    const left = await Uploader.run(options);
    window.clearTimeout(retryTimer);
    if (left && left.retryAt) {
      retryTimer = window.setTimeout(() => upload(), Math.max(1000, left.retryAt - Date.now()));
    }
    return left;
  }

  // Background Sync where the browser has it: the worker uploads even after the page is closed.
  async function askForSync() {
    if (!("serviceWorker" in navigator)) return;
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("field-upload");
    } catch (error) { /* no Background Sync: the pages upload on open and when back online */ }
  }

  // ---- the queue panel -------------------------------------------------------------------------

  const STATE_WORDS = {
    queued: "stateQueued",
    uploading: "stateUploading",
    done: "stateDone",
    conflict: "stateConflict",
    failed: "stateFailed",
    signed_out: "stateSignedOut",
  };

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function itemLine(item) {
    const li = element("li", "upload-item border-top py-2");
    li.id = `upload-${item.id}`;
    li.dataset.state = item.state;
    const head = element("div", "d-flex justify-content-between align-items-start gap-2");
    const what = element("div", "min-w-0");
    what.append(element("div", "fw-semibold text-break", item.label || ""));
    const facts = element("div", "small text-body-secondary d-flex flex-wrap column-gap-2");
    what.append(facts);
    facts.append(...[item.fields.visited_on, item.kindLabel,
        say(words.problems, { n: (item.fields.problems || []).length }),
        (item.photos || []).length ? say(words.photos, {
          done: item.photos.filter((p) => p.done).length,
          n: item.photos.length,
        }) : ""].filter(Boolean).map((fact) => element("span", "text-nowrap", fact)));
    head.append(what);
    head.append(element("span", `badge upload-state upload-state-${item.state}`, words[STATE_WORDS[item.state]] || item.state));
    li.append(head);
    if (item.state === "conflict" && item.message) {
      li.append(element("div", "small text-danger-emphasis mt-1 upload-message", item.message));
    }
    for (const photo of item.photos || []) {
      if (photo.error) li.append(element("div", "small text-danger-emphasis mt-1", `${photo.name}：${photo.error}`));
    }
    if (item.state === "failed" && item.retryAt) {
      const time = new Date(item.retryAt).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" });
      li.append(element("div", "small text-body-secondary mt-1", say(words.retryAt, { time })));
    }
    if (item.state === "done" && item.message) {
      li.append(element("div", "small text-success-emphasis mt-1", item.message));
    }
    if (item.state === "done" && item.url) {
      const link = element("a", "small", words.openVisit);
      link.href = item.url;
      li.append(link);
    }
    if (item.state === "conflict" && !item.visit) {
      const actions = element("div", "d-flex gap-2 mt-2");
      const edit = element("button", "btn btn-sm btn-outline-primary", words.editAgain);
      edit.type = "button";
      edit.dataset.editItem = item.id;
      const drop = element("button", "btn btn-sm btn-outline-danger", words.discard);
      drop.type = "button";
      drop.dataset.discardItem = item.id;
      actions.append(edit, drop);
      li.append(actions);
    }
    return li;
  }

  let lastSummary = "";
  async function render() {
    if (!panel) return;
    const items = (await Store.queue()).filter(mine);
    const waiting = items.filter((i) => i.state !== "done" && i.state !== "conflict");
    const refused = items.filter((i) => i.state === "conflict");
    panel.hidden = items.length === 0;
    const title = panel.querySelector("#upload-queue-title");
    title.textContent = [
      waiting.length ? say(words.title, { n: waiting.length }) : "",
      !waiting.length && !refused.length ? words.titleDone : "",
      refused.length ? say(words.titleConflict, { n: refused.length }) : "",
    ].filter(Boolean).join("，");
    const list = panel.querySelector("#upload-items");
    list.replaceChildren(...items.slice().reverse().map(itemLine));
    // The live region says what changed, once: the count and the newest state.
    const uploading = items.find((i) => i.state === "uploading");
    const summary = uploading ? say(words.uploadingNow, { label: uploading.label })
      : items.length ? title.textContent : "";
    if (summary !== lastSummary) {
      lastSummary = summary;
      document.getElementById("upload-status").textContent = summary;
    }
    const now = panel.querySelector("#upload-now");
    now.hidden = !navigator.onLine || !waiting.some((i) => i.state !== "conflict");
  }

  // A refused visit back into the form (the draft), to be corrected and saved again.
  function draftFromItem(item) {
    const values = {
      enterprise: item.fields.enterprise,
      visited_on: item.fields.visited_on,
      kind: item.fields.kind,
      notes: item.fields.notes,
    };
    item.fields.problems.forEach((p, i) => {
      values[`problems-${i}-title`] = p.title;
      values[`problems-${i}-category`] = p.category;
      values[`problems-${i}-description`] = p.description;
    });
    return {
      clientId: Store.newId(), // refused: nothing was saved under the old one
      user,
      values,
      rows: item.fields.problems.map((_, i) => i),
      photos: (item.photos || []).filter((p) => p.blob)
        .map((p) => ({ name: p.name, type: p.blob.type, blob: p.blob })),
      location: item.fields.location,
      saved: Date.now(),
    };
  }

  async function editAgain(id) {
    const item = await Store.getItem(id);
    if (!item) return;
    await Store.putDraft(draftFromItem(item));
    await Store.deleteItem(id);
    window.location.assign(panel.dataset.formUrl);
  }

  if (panel) {
    panel.addEventListener("click", async (event) => {
      const target = event.target;
      if (target.id === "upload-now") {
        await upload({ force: true });
      } else if (target.dataset.editItem) {
        await editAgain(target.dataset.editItem);
      } else if (target.dataset.discardItem && window.confirm(words.discardConfirm)) {
        await Store.deleteItem(target.dataset.discardItem);
      }
      render();
    });
  }

  // ---- a visit saved the ordinary way -----------------------------------------------------------

  // The visit's page names the phone's id of the visit it shows: the draft it came from is done.
  async function forgetSavedDraft(savedId) {
    const draft = await Store.getDraft();
    if (draft && draft.clientId === savedId) await Store.deleteDraft();
  }

  // ---- start -----------------------------------------------------------------------------------

  window.FieldApp = { upload, render, askForSync, say, words, user, mine };

  if ("BroadcastChannel" in window) {
    new BroadcastChannel("sijisiwen-field").onmessage = () => render();
  }
  window.addEventListener("online", () => { render(); upload({ force: true }); });
  window.addEventListener("offline", () => render());
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") upload();
  });
  const token = csrfToken();
  const ready = Promise.all([token && Store.putMeta("csrf", token), Store.putMeta("user", user)]);
  ready.then(render).then(() => upload()).then(render).catch(() => null);

  if (app && app.dataset.savedClientId) forgetSavedDraft(app.dataset.savedClientId);
  if (app && "serviceWorker" in navigator) {
    navigator.serviceWorker.register(app.dataset.serviceWorker, { scope: app.dataset.scope })
      .catch(() => null); // no worker (an old browser, a private window): the pages still work online
  }
})();
