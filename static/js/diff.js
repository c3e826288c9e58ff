/* Version diff: next and previous change by keyboard (N and P, outside text fields) and by the two buttons.
   Without JavaScript the buttons stay hidden and every change is still on the page, in order. */
(function () {
  "use strict";

  var current = -1;

  function changes() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-diff] .diff-change"));
  }

  function show(step) {
    var all = changes();
    if (!all.length) return;
    current = Math.max(0, Math.min(all.length - 1, current + step));
    all.forEach(function (el) { el.classList.remove("is-current"); });
    var target = all[current];
    target.classList.add("is-current");
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center", behavior: "auto" });
    var position = document.querySelector("[data-diff-position]");
    if (position) {
      position.textContent = (position.dataset.msgPosition || "{n}/{total}")
        .replace("{n}", String(current + 1)).replace("{total}", String(all.length));
    }
  }

  function bind() {
    current = -1;
    document.querySelectorAll("[data-diff-nav]").forEach(function (nav) { nav.hidden = false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-diff-next], [data-diff-prev]");
    if (!button) return;
    show(button.hasAttribute("data-diff-next") ? 1 : -1);
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var el = event.target;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
    if (!document.querySelector("[data-diff]")) return;
    var key = event.key.toLowerCase();
    if (key === "n" || key === "j") { event.preventDefault(); show(1); }
    else if (key === "p" || key === "k") { event.preventDefault(); show(-1); }
  });

  document.addEventListener("DOMContentLoaded", bind);
  document.addEventListener("htmx:afterSettle", bind);
})();
