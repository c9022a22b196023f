// Small behaviours every page may use, declared in the markup with data-* attributes. The pages
// carry no inline script or event-handler attribute: the Content-Security-Policy allows scripts
// from our own static files only (script-src 'self'), so this file is where such behaviour lives.
// Every page still works without it.
(function () {
  "use strict";

  // <form data-confirm="…">: ask before submitting.
  // <form data-disable-on-submit>: after the first submission its submit buttons are disabled
  // (after it, so the clicked button's value still goes with the form).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-disable-on-submit")) {
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll("button[type=submit]"), function (b) {
          b.disabled = true;
        });
      }, 0);
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target : event.target.parentElement;
    if (!target) return;
    // <button data-print>: the browser's print dialog (print, or save as PDF).
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    // <button data-remove-closest=".selector">: remove the nearest enclosing .selector.
    var remover = target.closest("[data-remove-closest]");
    if (remover) {
      var gone = remover.closest(remover.getAttribute("data-remove-closest"));
      if (gone) gone.remove();
    }
  });

  // <details>: its summary says whether it is open (aria-expanded), as a collapse's toggle does.
  // The toggle event does not bubble, hence the capture.
  function markExpanded(details) {
    var summary = details.querySelector(":scope > summary");
    if (summary) summary.setAttribute("aria-expanded", details.open ? "true" : "false");
  }
  document.addEventListener("toggle", function (event) {
    if (event.target.tagName === "DETAILS") markExpanded(event.target);
  }, true);
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), markExpanded);
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    // <select data-navigate-param="period">: choosing a value opens ?period=<value>.
    var param = input.getAttribute && input.getAttribute("data-navigate-param");
    if (param && input.value) {
      var query = new URLSearchParams();
      query.set(param, input.value);
      window.location.search = query.toString();
      return;
    }
    // <input type=file data-max-bytes=N data-too-big-note=ID>: on a slow connection an oversized
    // file is better caught before it is uploaded; it is dropped and the note names it.
    if (input.type === "file" && input.dataset && input.dataset.maxBytes && input.files) {
      var max = Number(input.dataset.maxBytes), kept = new DataTransfer(), dropped = [];
      Array.prototype.forEach.call(input.files, function (file) {
        if (file.size > max) { dropped.push(file.name); } else { kept.items.add(file); }
      });
      var note = document.getElementById(input.dataset.tooBigNote || "");
      if (note) note.hidden = dropped.length === 0;
      if (dropped.length) {
        input.files = kept.files;
        if (note) note.textContent = note.dataset.message + dropped.join("、");
      }
    }
  });
})();

// Signing out leaves nothing of the cadre's offline app (fieldwork/static/fieldwork/offline/) on
// the phone for its next user: <form data-clear-offline> first deletes its IndexedDB database, its
// caches and its service worker, then signs out. The server's answer asks the browser for the same
// (Clear-Site-Data); doing it here as well covers browsers that ignore that header, and asks first
// when visits saved offline have not been uploaded yet (data-unsent-confirm, "{n}" their number).
(function () {
  "use strict";

  var DATABASE = "sijisiwen-field";
  var CACHE_PREFIX = "sijisiwen-field-";

  function unsentCount() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) { resolve(0); return; }
      var request = window.indexedDB.open(DATABASE);
      request.onupgradeneeded = function () { request.transaction.abort(); }; // none: make none
      request.onerror = function () { resolve(0); };
      request.onsuccess = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("queue")) { db.close(); resolve(0); return; }
        var all = db.transaction("queue").objectStore("queue").getAll();
        all.onsuccess = function () {
          db.close();
          resolve(all.result.filter(function (item) { return item.state !== "done"; }).length);
        };
        all.onerror = function () { db.close(); resolve(0); };
      };
    });
  }

  function clearOffline() {
    var jobs = [];
    if (window.indexedDB) {
      jobs.push(new Promise(function (resolve) {
        var request = window.indexedDB.deleteDatabase(DATABASE);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      }));
    }
    if (window.caches) {
      jobs.push(window.caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf(CACHE_PREFIX) === 0;
        }).map(function (name) { return window.caches.delete(name); }));
      }));
    }
    if (navigator.serviceWorker) {
      jobs.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) { return r.unregister(); }));
      }));
    }
    // Never keep someone from signing out: after two seconds, out anyway.
    var patience = new Promise(function (resolve) { window.setTimeout(resolve, 2000); });
    return Promise.race([Promise.all(jobs).catch(function () {}), patience]);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-clear-offline") || form.hasAttribute("data-cleared")) return;
    event.preventDefault();
    unsentCount().then(function (count) {
      var question = (form.getAttribute("data-unsent-confirm") || "").replace("{n}", count);
      if (count && !window.confirm(question)) return;
      return clearOffline().then(function () {
        form.setAttribute("data-cleared", "");
        form.submit();
      });
    });
  });
})();

// Accessibility (GB/T 37668-2019 / WCAG 2.1 AA), for every page and every fragment htmx swaps in.
(function () {
  "use strict";

  // A region that scrolls sideways (a wide table on a phone) is reached by the keyboard too: it
  // takes the focus, so the arrow keys scroll it, and is named after its table's caption or the
  // heading before it.
  function focusableScrollers(root) {
    Array.prototype.forEach.call(root.querySelectorAll(".table-responsive"), function (box) {
      var overflow = window.getComputedStyle(box).overflowX;
      var scrolls = (overflow === "auto" || overflow === "scroll") &&
        box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("data-scroll-focus", "");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          var caption = box.querySelector("caption");
          var heading = caption ? null : box.closest(".card, section, main");
          heading = heading && heading.querySelector("h1, h2, h3, h4, .card-header");
          var name = (caption || heading || {}).textContent;
          if (name) box.setAttribute("aria-label", name.trim().replace(/\s+/g, " ").slice(0, 80));
        }
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("data-scroll-focus");
      }
    });
  }

  // A field's error message is tied to the field (aria-describedby, aria-invalid), so a screen
  // reader says it with the field's label; a form-wide error is an alert, announced on arrival.
  // After a form comes back with errors, the first field in error takes the focus.
  var errorCount = 0;
  function tieErrors(root) {
    var first = null;
    Array.prototype.forEach.call(root.querySelectorAll(".invalid-feedback"), function (error) {
      if (error.hasAttribute("data-tied") || !error.textContent.trim()) return;
      // The field is in the error's own group: its parent, or at most two levels up.
      var group = error.parentElement, control = null, steps = 0;
      while (group && !control && steps < 3 && group.tagName !== "FORM") {
        control = group.querySelector(".is-invalid") ||
          group.querySelector("input:not([type=hidden]), select, textarea");
        group = group.parentElement;
        steps += 1;
      }
      if (!control) return;
      if (!error.id) error.id = "field-error-" + (++errorCount);
      var described = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
      if (described.indexOf(error.id) < 0) described.push(error.id);
      control.setAttribute("aria-describedby", described.join(" "));
      control.setAttribute("aria-invalid", "true");
      error.setAttribute("data-tied", "");
      first = first || control;
    });
    Array.prototype.forEach.call(root.querySelectorAll("form .alert-danger:not([role])"), function (a) {
      a.setAttribute("role", "alert");
    });
    return first;
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusableScrollers(document);
    var first = tieErrors(document);
    if (first && document.activeElement === document.body) first.focus();
  });
  window.addEventListener("resize", function () { focusableScrollers(document); });
  // <div data-focus-added>: what htmx appends to it (a new row of a form) takes the focus at its
  // first field, so a keyboard user goes on typing there instead of hunting for it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.target;
    focusableScrollers(target);
    tieErrors(target);
    if (target.hasAttribute && target.hasAttribute("data-focus-added") && target.lastElementChild) {
      var field = target.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
      if (field) field.focus();
    }
  });
})();
