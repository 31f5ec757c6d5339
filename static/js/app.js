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

  // A form with data-confirm asks before it is submitted.
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A button with data-copy-target copies that field's value and says so in the element
  // named by data-copy-status.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy-target]") : null;
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    var say = function (text) {
      if (status) {
        status.textContent = text;
      }
    };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(
        function () { say("Copied."); },
        function () { say("Copy failed: select the key and copy it yourself."); }
      );
    } else {
      say(document.execCommand("copy") ? "Copied." : "Select the key and copy it yourself.");
    }
  });
})();
