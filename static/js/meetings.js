// The 1:1 meeting page: htmx swaps in the re-rendered section on success and also when a
// change is refused (400) or stale (409), so the message and the typed text are shown.
(function () {
  "use strict";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409 || status === 403) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
