// Small enhancements for the page shell; every page works without them.
(function () {
  "use strict";

  function openMenus() {
    return Array.prototype.slice.call(document.querySelectorAll("details.menu[open]"));
  }

  // Clicking outside an open menu closes it.
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (menu) {
      if (!menu.contains(event.target)) {
        menu.removeAttribute("open");
      }
    });
  });

  // Escape closes the open menu and returns focus to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    openMenus().forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary && menu.contains(document.activeElement)) {
        summary.focus();
      }
    });
  });

  // Opening one menu closes the others.
  document.addEventListener(
    "toggle",
    function (event) {
      var target = event.target;
      if (!(target instanceof HTMLDetailsElement) || !target.classList.contains("menu") || !target.open) {
        return;
      }
      openMenus().forEach(function (menu) {
        if (menu !== target) {
          menu.removeAttribute("open");
        }
      });
    },
    true
  );
})();
