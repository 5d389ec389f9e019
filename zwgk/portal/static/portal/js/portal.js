// Progressive enhancement only: without this script the main navigation is
// simply always open.  With it, narrow screens fold the navigation behind a
// button (the stylesheet hides the list while aria-expanded is "false").
(function () {
  "use strict";
  var toggle = document.querySelector("[data-nav-toggle]");
  if (!toggle) {
    return;
  }
  toggle.setAttribute("aria-expanded", "false");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") === "true";
    toggle.setAttribute("aria-expanded", open ? "false" : "true");
  });
})();
