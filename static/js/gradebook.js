/* The gradebook grid by keyboard and touch. One cell at a time is in the tab order (a roving tabindex); arrows
   move, typing replaces the score, Enter saves and moves down, Tab saves and moves right, Escape cancels. A
   save posts the typed value with htmx and the server answers with the student's row (their grade recomputed),
   or with the row showing the refused value and why (422). Keys typed while a save is on its way are kept and
   go into the next cell. Without JavaScript, each column header leads to a page where the column is typed. */
(function () {
  "use strict";

  var FIRST = 2; // the student's name and their grade come before the assignment cells

  function init(table) {
    if (table.dataset.bound) return;
    table.dataset.bound = "1";
    var body = table.tBodies[0];
    var header = table.tHead.rows[0];
    var urlTemplate = table.dataset.cellUrl;
    var query = table.dataset.query ? "?" + table.dataset.query : "";
    var labelTemplate = table.dataset.msgLabel || "";
    var status = document.getElementById("gb-status");
    var details = document.getElementById("gb-details");
    var busy = false;
    var typedAhead = null;
    var lastPointer = "mouse";

    function columns() { return header.cells.length - FIRST; }
    function rows() { return body.rows.length; }
    function cellAt(r, c) {
      var row = body.rows[r];
      return row ? row.cells[c + FIRST] || null : null;
    }
    function position(td) { return [td.parentElement.sectionRowIndex, td.cellIndex - FIRST]; }
    function isCell(el) { return el && el.tagName === "TD" && el.cellIndex >= FIRST && body.contains(el); }

    function focusCell(td) {
      if (!td) return;
      var current = body.querySelector('td[tabindex="0"]');
      if (current && current !== td) current.tabIndex = -1;
      td.tabIndex = 0;
      td.focus();
      if (td.scrollIntoView) td.scrollIntoView({ block: "nearest", inline: "nearest" });
      if (details) {
        var p = position(td);
        details.href = details.dataset.hrefTemplate.replace(/\/0\/0$/, "/" + header.cells[p[1] + FIRST].dataset.a + "/" + td.parentElement.dataset.s);
        details.hidden = false;
      }
    }

    function move(td, dr, dc) {
      var p = position(td);
      var r = Math.min(Math.max(p[0] + dr, 0), rows() - 1);
      var c = Math.min(Math.max(p[1] + dc, 0), columns() - 1);
      focusCell(cellAt(r, c));
    }

    function shownValue(td) {
      var error = td.querySelector(".gb-error");
      var text = td.textContent;
      if (error) text = text.slice(0, text.length - error.textContent.length);
      return text.trim();
    }

    function label(td) {
      var p = position(td);
      var student = td.parentElement.cells[0].textContent.trim();
      var title = header.cells[p[1] + FIRST].querySelector("a").textContent.trim();
      return labelTemplate.replace("{s}", student).replace("{a}", title);
    }

    function startEdit(td, initial) {
      if (td.querySelector("input")) return;
      var original = shownValue(td);
      var input = document.createElement("input");
      input.className = "gb-input";
      input.setAttribute("aria-label", label(td));
      input.setAttribute("autocomplete", "off");
      input.setAttribute("inputmode", "decimal");
      input.maxLength = 40;
      input.value = initial === undefined ? original : initial;
      td.dataset.original = original;
      td.textContent = "";
      td.appendChild(input);
      input.focus();
      if (initial === undefined) input.select();
      else input.setSelectionRange(input.value.length, input.value.length);
    }

    function stopEdit(td, restore) {
      var input = td.querySelector("input");
      if (!input) return null;
      var value = input.value;
      if (restore) td.textContent = td.dataset.original || "";
      return value;
    }

    function save(td, dr, dc) {
      var input = td.querySelector("input");
      if (!input) return;
      var value = input.value;
      var p = position(td);
      if (value.trim() === (td.dataset.original || "") && !td.classList.contains("err")) {
        stopEdit(td, true);
        move(td, dr, dc);
        return;
      }
      var row = td.parentElement;
      var studentId = row.dataset.s;
      var assignmentId = header.cells[p[1] + FIRST].dataset.a;
      var url = urlTemplate.replace(/\/0\/0$/, "/" + assignmentId + "/" + studentId) + query;
      td.textContent = value;
      td.classList.add("saving");
      busy = true;
      typedAhead = null;
      window.htmx
        .ajax("POST", url, { source: table, target: "#r" + studentId, swap: "outerHTML", values: { value: value } })
        .then(function () {
          busy = false;
          var fresh = document.getElementById("r" + studentId);
          var refused = fresh && fresh.cells[p[1] + FIRST];
          if (refused && refused.classList.contains("err")) {
            if (status) status.textContent = refused.dataset.error || "";
            focusCell(refused);
            return;
          }
          if (status) status.textContent = "";
          var r = Math.min(Math.max(p[0] + dr, 0), rows() - 1);
          var c = Math.min(Math.max(p[1] + dc, 0), columns() - 1);
          var next = cellAt(r, c);
          focusCell(next);
          if (typedAhead !== null && next) {
            startEdit(next, typedAhead);
            typedAhead = null;
          }
        }, function () { busy = false; });
    }

    table.addEventListener("keydown", function (evt) {
      var target = evt.target;
      if (busy) {
        if (evt.key.length === 1 && !evt.ctrlKey && !evt.metaKey && !evt.altKey) {
          typedAhead = (typedAhead || "") + evt.key;
          evt.preventDefault();
        }
        return;
      }
      if (target.tagName === "INPUT" && isCell(target.parentElement)) {
        var td = target.parentElement;
        if (evt.key === "Enter") { evt.preventDefault(); save(td, evt.shiftKey ? -1 : 1, 0); }
        else if (evt.key === "Tab") { evt.preventDefault(); save(td, 0, evt.shiftKey ? -1 : 1); }
        else if (evt.key === "ArrowDown") { evt.preventDefault(); save(td, 1, 0); }
        else if (evt.key === "ArrowUp") { evt.preventDefault(); save(td, -1, 0); }
        else if (evt.key === "Escape") { evt.preventDefault(); stopEdit(td, true); focusCell(td); }
        return;
      }
      if (!isCell(target)) return;
      var moves = { ArrowDown: [1, 0], ArrowUp: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
      if (moves[evt.key]) {
        evt.preventDefault();
        move(target, moves[evt.key][0], moves[evt.key][1]);
      } else if (evt.key === "Home" || evt.key === "End") {
        evt.preventDefault();
        move(target, 0, evt.key === "Home" ? -columns() : columns());
      } else if (evt.key === "Enter" || evt.key === "F2") {
        evt.preventDefault();
        startEdit(target);
      } else if (evt.key === "Backspace" || evt.key === "Delete") {
        evt.preventDefault();
        startEdit(target, "");
      } else if (evt.key.length === 1 && !evt.ctrlKey && !evt.metaKey && !evt.altKey) {
        evt.preventDefault();
        startEdit(target, evt.key);
      }
    });

    table.addEventListener("pointerdown", function (evt) { lastPointer = evt.pointerType || "mouse"; });

    table.addEventListener("click", function (evt) {
      var td = evt.target.closest ? evt.target.closest("td") : null;
      if (!isCell(td) || td.querySelector("input")) return;
      var already = document.activeElement === td;
      focusCell(td);
      if (already || lastPointer === "touch" || lastPointer === "pen") startEdit(td);
    });

    table.addEventListener("focusout", function (evt) {
      var input = evt.target;
      if (input.tagName !== "INPUT" || busy) return;
      var td = input.parentElement;
      // Leaving the cell by pointer (not by a key, which saved already): save where it is.
      window.setTimeout(function () {
        if (td.isConnected && td.querySelector("input") === input && !busy) save(td, 0, 0);
      }, 0);
    });

    var first = cellAt(0, 0);
    if (first) first.tabIndex = 0;
  }

  function start() {
    var table = document.getElementById("gb-table");
    if (table && table.hasAttribute("data-editable") && window.htmx) init(table);
  }

  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSettle", function (evt) {
    if (evt.target && evt.target.id === "grid") start();
  });
  if (document.readyState !== "loading") start();
})();
