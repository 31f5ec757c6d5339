// After htmx replaces part of a page, keyboard and screen-reader users must not be left on
// the page body: focus moves to what changed, and the change is announced.
//   - a refused change (a form error): focus goes to the first invalid field, or the error
//     itself, and the error is read out;
//   - something added (an element marked data-live-item that was not there before): focus
//     goes to it, and it is read out as added;
//   - otherwise, if the element that had focus was replaced, focus returns to its
//     replacement (same id), else to the swapped section.
// Background refreshes (polling, data-poll-when-idle) never move focus. Every page works
// without this script.
(function () {
  "use strict";

  var announcer = null;
  var before = null;

  function announce(text) {
    announcer = announcer || document.getElementById("live-announcer");
    if (!announcer || !text) {
      return;
    }
    // Emptied first, so the same message twice is read twice.
    announcer.textContent = "";
    window.setTimeout(function () {
      announcer.textContent = text;
    }, 50);
  }

  function textOf(element) {
    return (element.textContent || "").replace(/\s+/g, " ").trim().slice(0, 200);
  }

  function focusOn(element) {
    if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
      element.setAttribute("tabindex", "-1");
    }
    element.focus();
  }

  function isBackground(source) {
    return !source || source.hasAttribute("data-poll-when-idle");
  }

  function itemIds(root) {
    var ids = {};
    Array.prototype.forEach.call(root.querySelectorAll("[data-live-item][id]"), function (item) {
      ids[item.id] = true;
    });
    return ids;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    if (isBackground(source)) {
      before = null;
      return;
    }
    var target = event.detail.target;
    var focused = document.activeElement;
    before = {
      items: target ? itemIds(target) : {},
      focusedId: focused && target && target.contains(focused) ? focused.id : "",
      focusInside: Boolean(focused && target && target.contains(focused)),
    };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!before) {
      return;
    }
    var seen = before;
    before = null;
    var swapped = event.detail.target;
    if (!swapped || !document.body.contains(swapped)) {
      swapped = document.getElementById(event.detail.target && event.detail.target.id);
    }
    if (!swapped) {
      return;
    }
    var invalid = swapped.querySelector("[aria-invalid=true]");
    var error = swapped.querySelector(".errorlist, [role=alert], .form-errors");
    if (invalid || error) {
      focusOn(invalid || error);
      announce(textOf(error || invalid));
      return;
    }
    var added = Array.prototype.filter.call(
      swapped.querySelectorAll("[data-live-item][id]"),
      function (item) { return !seen.items[item.id]; }
    );
    if (added.length) {
      var item = added[added.length - 1];
      focusOn(item);
      var template = (announcer || document.getElementById("live-announcer") || item)
        .getAttribute("data-added") || "{item}";
      announce(template.replace("{item}", textOf(item.querySelector("[data-live-text]") || item)));
      return;
    }
    if (seen.focusInside && !swapped.contains(document.activeElement)) {
      var again = seen.focusedId ? document.getElementById(seen.focusedId) : null;
      focusOn(again || swapped);
    }
  });
})();
