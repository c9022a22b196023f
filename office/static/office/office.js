// The office console's small behaviours; every page works without them.
(function () {
  "use strict";

  // A form marked data-once submits once: a second click (or Enter) is ignored and its buttons
  // are disabled right after the first submission (after it, so the clicked button's value goes).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.submitted) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    window.setTimeout(function () {
      // form.elements: also the buttons outside the form that name it (form="…").
      Array.prototype.forEach.call(form.elements, function (b) {
        if (b.type === "submit") b.disabled = true;
      });
    }, 0);
  });

  // A checkbox marked data-select-all="FORM_ID" ticks every case checkbox of that form.
  document.addEventListener("change", function (event) {
    var box = event.target;
    var formId = box.getAttribute && box.getAttribute("data-select-all");
    if (!formId) return;
    document
      .querySelectorAll('input[type=checkbox][name=case][form="' + formId + '"]:not(:disabled)')
      .forEach(function (other) {
        other.checked = box.checked;
      });
  });
})();
