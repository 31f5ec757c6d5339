// Development plan pages. Every form works without this script; it only narrows choices.
(function () {
  "use strict";

  // "Level to reach" lists only the levels of the competency chosen in the same form. The
  // page sends every level grouped under its competency (that is what a browser without
  // JavaScript shows); here the options of the other competencies are taken out, and put
  // back when the competency changes.
  function narrowLevels(levels) {
    var form = levels.form;
    var source = form ? form.querySelector("select[data-level-source]") : null;
    if (!source) {
      return;
    }
    var none = levels.querySelector('option[value=""]');
    var options = Array.prototype.slice.call(levels.querySelectorAll("option[data-competency]"));
    var sentSelected = levels.value;

    function show(keep) {
      var chosen = source.value;
      var selected = levels.value;
      while (levels.firstChild) {
        levels.removeChild(levels.firstChild);
      }
      if (none) {
        levels.appendChild(none);
      }
      options.forEach(function (option) {
        // A refused choice stays visible once, next to the error that names it.
        if (option.getAttribute("data-competency") === chosen || option.value === keep) {
          levels.appendChild(option);
        }
      });
      var stillThere = options.some(function (option) {
        return option.value === selected && option.parentNode === levels;
      });
      levels.value = stillThere ? selected : "";
    }

    source.addEventListener("change", function () {
      show(null);
    });
    show(sentSelected);
  }

  Array.prototype.slice
    .call(document.querySelectorAll("select[data-levels-of-competency]"))
    .forEach(narrowLevels);
})();
