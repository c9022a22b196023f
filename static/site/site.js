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
