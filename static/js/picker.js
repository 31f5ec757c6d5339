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
