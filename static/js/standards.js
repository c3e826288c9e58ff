// Standards picker and tree: no inline scripts (strict CSP), so the small behaviours live here.
(function () {
  "use strict";
  // A tree node's "n below" button opens its children (htmx fetches them); pressed again it closes them.
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-std-toggle]");
    if (!toggle || toggle.getAttribute("aria-expanded") !== "true") return;
    event.stopPropagation();
    event.preventDefault();
    var target = document.querySelector(toggle.getAttribute("hx-target"));
    if (target) target.innerHTML = "";
    toggle.setAttribute("aria-expanded", "false");
  }, true);
  document.addEventListener("htmx:afterSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.matches("[data-std-toggle]")) source.setAttribute("aria-expanded", "true");
    var chosen = event.detail.target;
    if (chosen && chosen.matches("[data-picker-chosen]")) {
      var none = chosen.parentElement.querySelector(".std-none");
      if (none) none.hidden = true;
      var added = chosen.lastElementChild && chosen.lastElementChild.querySelector("input[type=checkbox]");
      if (source && added) source.focus();
    }
  });
  // Enter in the picker's search box searches; it must not submit the lesson or unit form around it.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-picker-search]")) {
      event.preventDefault();
      if (window.htmx) window.htmx.trigger(event.target, "search");
    }
  });
})();
