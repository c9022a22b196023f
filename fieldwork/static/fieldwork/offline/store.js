// The phone's offline store (IndexedDB), shared by the pages and the service worker (sw.js loads
// it with importScripts), hence a classic script that sets one global, FieldStore.
//
//   drafts  "visit" → the visit form as it is being typed (values, rows, photos, consent)
//   queue   client_id → a visit saved on the phone, waiting for upload, with its state
//   meta    "csrf" → the CSRF token the uploader sends; "data" → the last /field/offline/data.json
//
// Signing out deletes the whole database (FieldStore.destroy), so nothing is left for the next
// user of a shared phone.
(function (root) {
  "use strict";

  const NAME = "sijisiwen-field";
  const VERSION = 1;
  let opening = null;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(NAME, VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          db.createObjectStore("drafts");
          db.createObjectStore("queue", { keyPath: "id" });
          db.createObjectStore("meta");
        };
        request.onsuccess = () => {
          const db = request.result;
          // Another page deleting the database (sign-out) must not wait for this one.
          db.onversionchange = () => {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        request.onerror = () => {
          opening = null;
          reject(request.error);
        };
      });
    }
    return opening;
  }

  // One transaction on one store; `work` gets the store and may return an IDBRequest, whose
  // result the promise resolves to once the transaction has committed.
  async function run(storeName, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(storeName, mode);
      let result;
      const outcome = work(transaction.objectStore(storeName));
      if (outcome && typeof outcome === "object" && "onsuccess" in outcome) {
        outcome.onsuccess = () => { result = outcome.result; };
      } else {
        result = outcome;
      }
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error("aborted"));
    });
  }

  const get = (store, key) => run(store, "readonly", (s) => s.get(key));
  const put = (store, value, key) =>
    run(store, "readwrite", (s) => (key === undefined ? s.put(value) : s.put(value, key)));
  const remove = (store, key) => run(store, "readwrite", (s) => s.delete(key));

  // The queue in the order the visits were saved: that is the order they are uploaded in.
  async function queue() {
    const items = await run("queue", "readonly", (s) => s.getAll());
    return (items || []).sort((a, b) => a.saved - b.saved || (a.id < b.id ? -1 : 1));
  }

  // Change one queued item in a single transaction (read, change, write), so the page and the
  // worker never overwrite each other's newer state with an older copy.
  async function update(id, change) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const transaction = db.transaction("queue", "readwrite");
      const store = transaction.objectStore("queue");
      let item;
      const read = store.get(id);
      read.onsuccess = () => {
        item = read.result;
        if (!item) return;
        change(item);
        item.updated = Date.now();
        store.put(item);
      };
      transaction.oncomplete = () => resolve(item);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  function destroy() {
    return new Promise((resolve) => {
      const finish = () => resolve();
      (opening || Promise.resolve(null))
        .then((db) => db && db.close(), () => null)
        .then(() => {
          opening = null;
          const request = indexedDB.deleteDatabase(NAME);
          request.onsuccess = finish;
          request.onerror = finish;
          request.onblocked = finish; // deleted as soon as the other tab lets go
        });
    });
  }

  function newId() {
    if (root.crypto && root.crypto.randomUUID) return root.crypto.randomUUID();
    const bytes = root.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  root.FieldStore = {
    NAME,
    getDraft: () => get("drafts", "visit"),
    putDraft: (draft) => put("drafts", draft, "visit"),
    deleteDraft: () => remove("drafts", "visit"),
    queue,
    getItem: (id) => get("queue", id),
    putItem: (item) => put("queue", item),
    deleteItem: (id) => remove("queue", id),
    update,
    getMeta: (key) => get("meta", key),
    putMeta: (key, value) => put("meta", value, key),
    destroy,
    newId,
  };
})(self);
