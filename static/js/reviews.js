// The review page: autosave is htmx (the form posts itself while the author types); this
// keeps what was typed in the browser until a save succeeds, restores it on load, shows
// refused saves (400, 403, 409) instead of dropping them, and asks before submitting.
(function () {
  "use strict";

  var form = document.getElementById("review-form");
  if (!form) {
    return;
  }
  var key = "review-draft:" + form.getAttribute("data-review-draft");

  function fields() {
    return Array.prototype.slice.call(form.querySelectorAll("input[name^=q], textarea[name^=q]"));
  }

  function snapshot() {
    var values = {};
    fields().forEach(function (field) {
      if (field.type === "radio") {
        if (field.checked) {
          values[field.name] = field.value;
        }
      } else if (field.type === "checkbox") {
        values[field.name] = field.checked ? "on" : "";
      } else {
        values[field.name] = field.value;
      }
    });
    return values;
  }

  function version() {
    return form.querySelector("input[name=version]").value;
  }

  // The draft remembers the version it was typed on: it is restored only onto that same
  // version (a refused save, a closed phase, a reload); once a newer version is saved,
  // here or elsewhere, the old draft is dropped rather than written over it.
  function store() {
    try {
      window.localStorage.setItem(key, JSON.stringify({ version: version(), values: snapshot() }));
    } catch (error) {
      // Storage full or disabled: the server copy is all there is.
    }
  }

  function forget() {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      // Nothing to forget.
    }
  }

  function put(field, value) {
    if (field.type === "radio") {
      var checked = field.value === value;
      var changed = field.checked !== checked;
      field.checked = checked;
      return changed;
    }
    if (field.type === "checkbox") {
      var on = value === "on";
      var flipped = field.checked !== on;
      field.checked = on;
      return flipped;
    }
    if (field.value !== value) {
      field.value = value;
      return true;
    }
    return false;
  }

  function restore() {
    var draft;
    try {
      draft = JSON.parse(window.localStorage.getItem(key) || "null");
    } catch (error) {
      draft = null;
    }
    if (!draft || !draft.values) {
      return;
    }
    if (String(draft.version) !== version()) {
      forget();
      return;
    }
    var changed = false;
    fields().forEach(function (field) {
      if (Object.prototype.hasOwnProperty.call(draft.values, field.name)) {
        changed = put(field, draft.values[field.name]) || changed;
      }
    });
    var notice = document.getElementById("review-restored");
    if (changed && notice) {
      notice.hidden = false;
    }
  }

  form.addEventListener("input", store);
  form.addEventListener("change", store);

  // htmx sends a form's request to the formaction of the button last focused or clicked
  // in it: an autosave pending while the author tabs onto Submit, or cancels its
  // confirmation, would submit the review unasked. Autosaves always save the draft.
  form.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt === form) {
      event.detail.path = form.getAttribute("hx-post");
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 403 || status === 409) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form && event.detail.successful && event.detail.xhr.status === 200) {
      forget();
    }
  });

  // "Keep my version": save what is in the form over the version saved elsewhere.
  document.addEventListener("click", function (event) {
    var keep = event.target.closest ? event.target.closest("[data-keep-mine]") : null;
    if (keep) {
      form.querySelector("input[name=version]").value = keep.getAttribute("data-keep-mine");
      window.htmx.trigger(form, "change");
      return;
    }
    var discard = event.target.closest ? event.target.closest("[data-discard-draft]") : null;
    if (discard) {
      forget();
    }
  });

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var message = button ? button.getAttribute("data-confirm-submit") : null;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      return;
    }
    // A full post carries everything; the page it answers says whether it was kept.
  });

  restore();
})();

// "Cite": the evidence item goes into the citations of the answer last worked on.
(function () {
  "use strict";

  var form = document.getElementById("review-form");
  if (!form) {
    return;
  }
  var current = null;
  form.addEventListener("focusin", function (event) {
    var item = event.target.closest ? event.target.closest(".review-item") : null;
    if (item) {
      current = item;
    }
  });

  // "Remove": the citation leaves the answer's list (and is saved like any change).
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-uncite]") : null;
    if (!button) {
      return;
    }
    var item = button.closest(".review-item");
    var field = item ? item.querySelector("input[name$=_cite]") : null;
    if (!field) {
      return;
    }
    var ref = button.getAttribute("data-uncite");
    field.value = field.value.split(",").filter(function (value) { return value && value !== ref; }).join(",");
    button.closest("li").remove();
    form.dispatchEvent(new Event("change", { bubbles: true }));
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-cite]") : null;
    if (!button) {
      return;
    }
    var item = current || form.querySelector(".review-item");
    var field = item ? item.querySelector("input[name$=_cite]") : null;
    if (!field) {
      return;
    }
    var ref = button.getAttribute("data-cite");
    var refs = field.value ? field.value.split(",") : [];
    if (refs.indexOf(ref) === -1) {
      refs.push(ref);
      field.value = refs.join(",");
      var list = item.querySelector(".review-cited");
      var label = button.closest("li").querySelector("a");
      if (list && label) {
        var line = document.createElement("p");
        line.className = "muted";
        line.textContent = "+ " + label.textContent;
        list.appendChild(line);
      }
      form.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
})();
