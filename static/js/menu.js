// The header's menu on a phone: the "Menu" button shows or hides the links (any number of them).
// Without this script the button stays hidden and the links wrap under the brand instead.
(function () {
  "use strict";

  var header = document.getElementById("topbar");
  var button = header && header.querySelector(".menu-toggle");
  if (!button) {
    return;
  }
  header.classList.add("has-menu");
  button.hidden = false;

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    header.classList.toggle("menu-open", open);
  }

  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
})();
