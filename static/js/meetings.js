// The 1:1 meeting page.
(function () {
  "use strict";

  // htmx swaps in the re-rendered section on success and also when a change is refused
  // (400, 403) or stale (409), so the message and the typed text are shown.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // The page polls its agenda and action items so both sides see each other's changes;
  // a section is refreshed only while nobody is typing or editing in it. (A check here,
  // not an hx-trigger filter: htmx would eval the filter, which the CSP forbids.)
  function isIdle(id) {
    var section = document.getElementById(id);
    if (!section || section.contains(document.activeElement)) {
      return false;
    }
    if (section.querySelector("details[open]")) {
      return false;
    }
    var fields = section.querySelectorAll("textarea, input[type=text], input[type=date], select");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.tagName === "SELECT") {
        if (field.selectedIndex > 0 && !field.options[field.selectedIndex].defaultSelected) {
          return false;
        }
      } else if (field.value !== field.defaultValue) {
        return false;
      }
    }
    return true;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var section = event.detail.elt.getAttribute("data-poll-when-idle");
    if (section && !isIdle(section)) {
      event.preventDefault();
    }
  });
})();
