// A searchable checkbox list (templates/feedback/_field.html): the search box narrows the
// choices by name and says how many are shown. Without this script every choice is listed.
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function setUp(picker) {
    var search = picker.querySelector("[data-picker-search]");
    var status = picker.querySelector("[data-picker-status]");
    var choices = Array.prototype.slice.call(picker.querySelectorAll(".picker-choice"));
    if (!search || !choices.length) {
      return;
    }
    search.closest(".picker-search").hidden = false;
    var template = picker.getAttribute("data-picker-shown") || "{shown} of {total} shown";

    function narrow() {
      var wanted = fold(search.value);
      var shown = 0;
      choices.forEach(function (choice) {
        var box = choice.querySelector("input");
        // A ticked person stays visible, so a search never hides a choice already made.
        var match = !wanted || fold(choice.textContent).indexOf(wanted) !== -1 || box.checked;
        choice.hidden = !match;
        shown += match ? 1 : 0;
      });
      status.textContent = wanted
        ? template.replace("{shown}", shown).replace("{total}", choices.length)
        : "";
    }

    search.addEventListener("input", narrow);
    // Enter in the search box must not send the form half filled in.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  Array.prototype.slice.call(document.querySelectorAll("[data-picker]")).forEach(setUp);
})();

// A person search box (templates/people/widgets/person_search.html): htmx fetches the
// matches while one types, so its "Search" button (which sends the form back to search
// without JavaScript) is removed, and Enter searches instead of sending the form.
(function () {
  "use strict";

  function setUp(box) {
    var input = box.querySelector("[data-person-search-input]");
    var button = box.querySelector("[data-person-search-button]");
    if (!input || !window.htmx) {
      return;
    }
    if (button) {
      button.remove(); // .button's display rule would win over [hidden]
    }
    // A person ticked among the matches joins the chosen ones, so the next search (which
    // replaces the matches) keeps them in the form.
    var chosen = box.querySelector(".person-search-chosen");
    box.addEventListener("change", function (event) {
      var choice = event.target;
      if (!chosen || !choice.checked || !choice.closest(".person-search-found")) {
        return;
      }
      chosen.appendChild(choice.closest("label"));
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        window.htmx.trigger(input, "search");
      }
    });
  }

  Array.prototype.slice.call(document.querySelectorAll("[data-person-search]")).forEach(setUp);
})();
