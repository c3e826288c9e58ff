/* Planner drag and drop: lessons move between class days by mouse or touch (SortableJS). Each drop posts the
   lesson's new day and place to its move URL, and the server answers with the plan, which replaces the old one.
   Without JavaScript (or by keyboard) the Earlier / Later buttons do the same; after one, focus stays on it. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function bind(root) {
    if (!window.Sortable) return;
    root.querySelectorAll("[data-plan-day]").forEach(function (list) {
      if (list.dataset.sortableBound) return;
      list.dataset.sortableBound = "1";
      window.Sortable.create(list, {
        group: "plan",
        handle: "[data-drag-handle]",
        draggable: "[data-entry]",
        delay: 150,
        delayOnTouchOnly: true,
        animation: 120,
        onEnd: function (event) {
          var item = event.item;
          if (event.from === event.to && event.oldIndex === event.newIndex) return;
          var body = new URLSearchParams();
          body.set("day", event.to.dataset.planDay);
          body.set("section_id", item.dataset.sectionId);
          body.set("view", root.dataset.view || "week");
          if (root.dataset.week) body.set("week", root.dataset.week);
          window.htmx.ajax("POST", item.dataset.moveUrl, {
            target: "#plan",
            swap: "outerHTML",
            values: Object.fromEntries(body),
            headers: { "X-CSRFToken": csrfToken() },
          });
        },
      });
    });
  }

  // Each action answers with a new plan, which would drop the keyboard's focus to the top of the page: remember
  // the control that was used (by its label) and focus it again in the new plan, its "Move or change" opened.
  var refocus = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var plan = document.getElementById("plan");
    var active = document.activeElement;
    refocus = plan && event.detail.target === plan && plan.contains(active) ? active.getAttribute("aria-label") : null;
  });

  function restoreFocus(plan) {
    var label = refocus;
    refocus = null;
    if (!label) return;
    var again = Array.prototype.find.call(plan.querySelectorAll("[aria-label]"), function (el) {
      return el.getAttribute("aria-label") === label;
    });
    if (!again) return;
    var details = again.closest("details");
    if (details) details.open = true;
    again.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var plan = document.getElementById("plan");
    if (plan) bind(plan);
  });
  document.addEventListener("htmx:afterSettle", function () {
    var plan = document.getElementById("plan");
    if (!plan) return;
    bind(plan);
    restoreFocus(plan);
  });
})();
