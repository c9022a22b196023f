// The visit form on a phone with a weak signal (登记走访):
//
// - the draft is kept on the phone as it is typed (IndexedDB, a moment after the last key) and put
//   back after a reload or a closed browser — photos and the location included;
// - a problem row is added from the <template> in the page, so it works with no connection;
// - photos are shrunk as soon as they are chosen (photos.js), so they are kept and sent small;
// - the check-in location is taken only when the cadre ticks the box, never silently;
// - 保存走访 puts the visit in the upload queue with an id made here (client_id). Online, it is
//   uploaded at once and the visit's page opens; offline (or if the upload fails) it waits in the
//   queue and the form is cleared for the next visit. Refused as invalid, the form is posted the
//   ordinary way so the server shows each error next to its field; refused for a conflict (the
//   enterprise moved to another task force …), the message is shown and the typing kept.
(function () {
  "use strict";

  const form = document.getElementById("visit-form");
  if (!form || !window.FieldStore || !("indexedDB" in window)) return;
  const Store = window.FieldStore;
  const App = window.FieldApp;
  const status = document.getElementById("visit-status");
  const words = status.dataset;
  const rows = document.getElementById("problem-rows");
  const rowTemplate = document.getElementById("problem-row-template");
  const total = document.getElementById("id_problems-TOTAL_FORMS");
  const photoInput = document.getElementById("id_photos");
  const clientId = document.getElementById("id_client_id");
  const consent = document.getElementById("share-location");
  const locationNote = document.getElementById("location-note");
  const LOCATION_FIELDS = ["latitude", "longitude", "accuracy_m", "located_at"];
  // The size cap is checked here, after shrinking, rather than by site.js before it.
  const maxPhotoBytes = Number(photoInput.dataset.maxBytes || Infinity);
  photoInput.removeAttribute("data-max-bytes");
  let photos = []; // the shrunk Files, in the order chosen
  let shrinking = Promise.resolve();
  let saveTimer = null;

  // #visit-status is a live region, always in the page: what is put in it is announced.
  function tell(text, tone) {
    status.replaceChildren();
    if (!text) return;
    const alert = document.createElement("div");
    alert.className = `alert py-2 mb-3 alert-${tone || "info"}`;
    alert.textContent = text;
    status.append(alert);
  }

  // ---- problem rows ----------------------------------------------------------------------------

  function maxProblems() {
    return Number(rows.dataset.maxProblems || 30);
  }

  function addRow(index, focus) {
    const html = rowTemplate.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(Math.max(Number(total.value), index + 1));
    const field = rows.lastElementChild.querySelector("input, select, textarea");
    if (focus && field) field.focus();
  }

  document.getElementById("add-problem").addEventListener("click", () => {
    const next = Number(total.value);
    const full = document.getElementById("problems-full");
    if (next >= maxProblems()) {
      full.hidden = false;
      return;
    }
    addRow(next, true);
    scheduleSave();
  });

  // ---- photos ----------------------------------------------------------------------------------

  function setInputFiles(files) {
    const transfer = new DataTransfer();
    files.forEach((file) => transfer.items.add(file));
    photoInput.files = transfer.files;
  }

  // Shrunk, then checked against the size cap (the server checks again); what is still too big
  // is dropped and named by the name the cadre chose.
  async function choosePhotos() {
    const chosen = Array.from(photoInput.files);
    const note = document.getElementById("photos-too-big");
    const max = maxPhotoBytes;
    tell(words.shrinking, "info");
    const shrunk = await Promise.all(chosen.map((file) => window.FieldPhotos.shrink(file)));
    const dropped = [];
    photos = shrunk.filter((file, i) => {
      if (file.size > max) dropped.push(chosen[i].name);
      return file.size <= max;
    });
    setInputFiles(photos);
    note.hidden = dropped.length === 0;
    if (dropped.length) note.textContent = note.dataset.message + dropped.join("、");
    tell("");
    scheduleSave();
  }

  photoInput.addEventListener("change", () => {
    shrinking = choosePhotos();
  });

  // ---- check-in location, with consent ---------------------------------------------------------

  function setLocation(place) {
    for (const name of LOCATION_FIELDS) {
      document.getElementById(`id_${name}`).value = place ? place[name] : "";
    }
    locationNote.textContent = place
      ? App.say(words.located, { accuracy: Math.round(place.accuracy_m) }) : "";
  }

  function currentLocation() {
    const value = (name) => document.getElementById(`id_${name}`).value;
    if (!consent.checked || !value("latitude")) return null;
    return Object.fromEntries(LOCATION_FIELDS.map((name) => [name, value(name)]));
  }

  consent.addEventListener("change", () => {
    if (!consent.checked) {
      setLocation(null);
      scheduleSave();
      return;
    }
    if (!navigator.geolocation) {
      locationNote.textContent = words.noLocation;
      consent.checked = false;
      return;
    }
    locationNote.textContent = words.locating;
    navigator.geolocation.getCurrentPosition((position) => {
      if (!consent.checked) return; // changed their mind meanwhile
      setLocation({
        latitude: position.coords.latitude.toFixed(6),
        longitude: position.coords.longitude.toFixed(6),
        accuracy_m: Math.round(position.coords.accuracy),
        located_at: new Date(position.timestamp).toISOString(),
      });
      scheduleSave();
    }, (error) => {
      consent.checked = false;
      setLocation(null);
      locationNote.textContent = App.say(words.locationFailed, { reason: error.message });
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  // ---- the draft -------------------------------------------------------------------------------

  const SKIP = new Set(["csrfmiddlewaretoken", "photos", "client_id", ...LOCATION_FIELDS]);

  function snapshot() {
    const values = {};
    for (const field of form.elements) {
      if (!field.name || SKIP.has(field.name) || field.type === "file") continue;
      if (field.type === "radio") {
        if (field.checked) values[field.name] = field.value;
      } else {
        values[field.name] = field.value;
      }
    }
    const indexes = Array.from(rows.querySelectorAll(".problem-row"), (row) =>
      Number(row.id.replace("problem-row-", "")));
    return {
      clientId: clientId.value,
      user: App.user,
      values,
      rows: indexes,
      photos: photos.map((file) => ({ name: file.name, type: file.type, blob: file })),
      location: currentLocation(),
      saved: Date.now(),
    };
  }

  function isEmpty(draft) {
    const typed = Object.entries(draft.values).some(([name, value]) =>
      value && (name === "notes" || /^problems-\d+-/.test(name)));
    return !typed && draft.photos.length === 0;
  }

  function scheduleSave() {
    window.clearTimeout(saveTimer);
    saveTimer = window.setTimeout(saveDraft, 400);
  }

  async function saveDraft() {
    const draft = snapshot();
    await Store.putDraft(draft);
    const stamp = new Date(draft.saved).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    document.getElementById("draft-note").textContent = App.say(words.draftSaved, { time: stamp });
    document.getElementById("discard-draft").hidden = false;
  }

  function restore(draft) {
    rows.replaceChildren();
    total.value = "0";
    (draft.rows.length ? draft.rows : [0]).forEach((index) => addRow(index, false));
    for (const [name, value] of Object.entries(draft.values)) {
      if (name === "problems-TOTAL_FORMS") continue;
      const fields = form.elements.namedItem(name);
      if (!fields) continue;
      if (fields instanceof RadioNodeList || fields.type === "radio") {
        for (const radio of fields.length ? fields : [fields]) radio.checked = radio.value === value;
      } else {
        fields.value = value;
      }
    }
    if (draft.clientId) clientId.value = draft.clientId;
    photos = (draft.photos || []).map((p) => new File([p.blob], p.name, { type: p.type }));
    setInputFiles(photos);
    consent.checked = Boolean(draft.location);
    setLocation(draft.location);
  }

  document.getElementById("discard-draft").addEventListener("click", async () => {
    if (!window.confirm(words.discardConfirm)) return;
    await startOver();
    tell("");
  });

  // "No connection, kept on the phone" is no longer news once the connection is back: the queue
  // above says how the upload goes.
  window.addEventListener("online", () => tell(""));

  form.addEventListener("input", scheduleSave);
  form.addEventListener("change", scheduleSave);
  // The row removed by site.js's data-remove-closest: saved without it.
  rows.addEventListener("click", (event) => {
    if (event.target.closest("[data-remove-closest]")) window.setTimeout(scheduleSave, 0);
  });

  // ---- saving ----------------------------------------------------------------------------------

  function problems() {
    return Array.from(rows.querySelectorAll(".problem-row"), (row) => {
      const value = (field) => {
        const input = row.querySelector(`[name$="-${field}"]`);
        return input ? input.value.trim() : "";
      };
      return { title: value("title"), category: value("category"), description: value("description") };
    }).filter((p) => p.title || p.category || p.description); // a blank row is no problem
  }

  function queuedItem() {
    const enterprise = document.getElementById("id_enterprise");
    const kind = form.querySelector("input[name=kind]:checked");
    return {
      id: clientId.value,
      user: App.user,
      saved: Date.now(),
      state: "queued",
      action: form.getAttribute("action") || window.location.pathname,
      label: enterprise.selectedIndex > 0 ? enterprise.options[enterprise.selectedIndex].text : "",
      kindLabel: kind ? form.querySelector(`label[for="${kind.id}"]`).textContent.trim() : "",
      fields: {
        enterprise: enterprise.value,
        visited_on: document.getElementById("id_visited_on").value,
        kind: kind ? kind.value : "",
        notes: document.getElementById("id_notes").value,
        location: currentLocation(),
        problems: problems(),
      },
      photos: photos.map((file) => ({ id: Store.newId(), name: file.name, blob: file })),
      attempts: 0,
    };
  }

  // A fresh form for the next visit: what the server filled in, no rows beyond the first.
  async function startOver() {
    window.clearTimeout(saveTimer);
    await Store.deleteDraft();
    form.reset();
    rows.replaceChildren();
    total.value = "0";
    addRow(0, false);
    photos = [];
    setInputFiles([]);
    setLocation(null);
    clientId.value = Store.newId();
    document.getElementById("draft-note").textContent = "";
    document.getElementById("discard-draft").hidden = true;
  }

  async function keptOnPhone() {
    await startOver();
    const waiting = (await Store.queue()).filter((i) => i.state !== "done").length;
    tell(App.say(words.queued, { n: waiting }), "warning");
    App.askForSync();
    App.render();
    status.scrollIntoView({ block: "nearest" });
  }

  let shrinkingNow = false;
  let saving = false;
  photoInput.addEventListener("change", () => {
    shrinkingNow = true;
    shrinking.finally(() => { shrinkingNow = false; });
  });

  form.addEventListener("submit", async (event) => {
    if (shrinkingNow) { // the photos just chosen are still being shrunk: send them small
      event.preventDefault();
      await shrinking;
      form.requestSubmit(event.submitter);
      return;
    }
    if (navigator.onLine) {
      // The ordinary post: the server answers with the visit's page, or the form with its
      // errors. The draft stays on the phone until the visit's page says the visit was saved
      // (app.js); should the connection drop on the way, the worker brings the cadre back here
      // (?unsent=1) and the draft goes into the queue.
      window.clearTimeout(saveTimer);
      saveDraft();
      return;
    }
    event.preventDefault();
    if (saving) return; // a double tap
    saving = true;
    try {
      await queueTheForm();
    } finally {
      saving = false;
    }
  });

  async function queueTheForm() {
    window.clearTimeout(saveTimer);
    await Store.putItem(queuedItem());
    await keptOnPhone();
  }

  // ---- start -----------------------------------------------------------------------------------

  async function start() {
    let draft = await Store.getDraft();
    if (draft && draft.user && draft.user !== App.user) draft = null; // another user's
    const serverErrors = document.getElementById("form-errors");
    const query = new URLSearchParams(window.location.search);
    if (query.has("unsent") && draft && !isEmpty(draft)) {
      // Sent, but the connection dropped on the way (sw.js): into the queue, under the same id,
      // so that were it saved after all, the upload is answered "uploaded before".
      window.history.replaceState(null, "", window.location.pathname);
      restore(draft);
      await queueTheForm();
      return;
    }
    if (draft && serverErrors && draft.clientId && draft.clientId === clientId.value) {
      // Back from the server with errors: it kept the typing but a browser never keeps the
      // chosen files — the phone did.
      photos = (draft.photos || []).map((p) => new File([p.blob], p.name, { type: p.type }));
      setInputFiles(photos);
      const lost = document.getElementById("photos-lost");
      if (lost && photos.length) lost.hidden = true;
    } else if (draft && !serverErrors && !isEmpty(draft)) {
      restore(draft);
      tell(words.restored, "info");
      document.getElementById("discard-draft").hidden = false;
    } else {
      // Opened from a link (?enterprise=…&kind=…): kept pages are the plain form, so apply it here.
      const enterprise = document.getElementById("id_enterprise");
      if (query.get("enterprise") && !enterprise.value) enterprise.value = query.get("enterprise");
      const kind = query.get("kind") && form.querySelector(`input[name=kind][value="${query.get("kind")}"]`);
      if (kind && !form.querySelector("input[name=kind]:checked")) kind.checked = true;
    }
    if (!clientId.value) clientId.value = Store.newId();
    // Back from the server with a location the cadre agreed to: still agreed.
    if (document.getElementById("id_latitude").value && !consent.checked) consent.checked = true;
  }

  start();
})();
