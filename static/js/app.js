/* Chalkline page behaviour: toasts, htmx error handling with retry, offline banner, phone menu,
   <dialog> modals, tabs, confirmations. Vanilla JS, no build step, no eval: the CSP is script-src 'self'.
   Everything uses event delegation on document, so content swapped in by htmx works without re-binding.
   User-facing strings come from data-msg-* attributes on <body> (translated server-side). */
(function () {
  "use strict";

  var doc = document;
  var AUTO_DISMISS_MS = 6000;
  doc.documentElement.classList.add("js");

  function msg(key, fallback) {
    var body = doc.body;
    return (body && body.dataset["msg" + key]) || fallback || "";
  }

  // ---- Toasts -------------------------------------------------------------------------------

  function toastRegion() {
    var region = doc.getElementById("toasts");
    if (!region) {
      region = doc.createElement("div");
      region.id = "toasts";
      region.className = "toast-region";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      doc.body.appendChild(region);
    }
    return region;
  }

  function buildToast(level) {
    var tpl = doc.getElementById("toast-template");
    var node = tpl && tpl.content.firstElementChild ? tpl.content.firstElementChild.cloneNode(true) : null;
    if (!node) {
      node = doc.createElement("div");
      node.setAttribute("data-toast", "");
      var p = doc.createElement("p");
      p.className = "toast__message";
      p.setAttribute("data-toast-message", "");
      var retry = doc.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-secondary toast__retry";
      retry.setAttribute("data-toast-retry", "");
      retry.hidden = true;
      retry.textContent = msg("Retry");
      var close = doc.createElement("button");
      close.type = "button";
      close.className = "icon-button toast__close";
      close.setAttribute("data-toast-close", "");
      close.setAttribute("aria-label", msg("Close"));
      close.textContent = "\u00d7";
      node.append(p, retry, close);
    }
    node.className = node.className.replace(/\btoast-(success|error|info|warning)\b/g, "").trim() + " toast-" + level;
    if (node.className.indexOf("toast ") !== 0) node.classList.add("toast");
    node.setAttribute("data-level", level);
    return node;
  }

  function dismissToast(node) {
    if (!node || !node.parentNode) return;
    clearTimeout(node._timer);
    node.removeAttribute("data-toast-key");   // a leaving toast must not swallow a fresh one with the same key
    node.classList.add("is-leaving");
    setTimeout(function () { if (node.parentNode) node.parentNode.removeChild(node); }, 200);
  }

  function scheduleDismiss(node) {
    if (node.getAttribute("data-level") === "error") return;   // errors stay until closed
    clearTimeout(node._timer);
    node._timer = setTimeout(function () {
      // Do not pull a toast away while the user is reading or using it (WCAG 2.2.1).
      if (node.matches(":hover") || node.contains(doc.activeElement)) {
        scheduleDismiss(node);
      } else {
        dismissToast(node);
      }
    }, AUTO_DISMISS_MS);
  }

  /**
   * Show a toast. level: "success" | "info" | "warning" | "error".
   * retry: optional function; adds a Retry button that calls it and closes the toast.
   * key: optional; a toast with the same key already on screen is not repeated (polling errors).
   */
  function showToast(message, level, retry, key) {
    level = ["success", "error", "info", "warning"].indexOf(level) >= 0 ? level : "info";
    var region = toastRegion();
    if (key) {
      var existing = region.querySelector('[data-toast-key="' + cssEscape(key) + '"]');
      if (existing) return existing;
    }
    var node = buildToast(level);
    if (key) node.setAttribute("data-toast-key", key);
    var text = node.querySelector("[data-toast-message]");
    if (text) text.textContent = message;
    var retryBtn = node.querySelector("[data-toast-retry]");
    if (retryBtn) {
      if (typeof retry === "function") {
        retryBtn.hidden = false;
        retryBtn._retry = retry;
      } else {
        retryBtn.hidden = true;
      }
    }
    region.appendChild(node);
    scheduleDismiss(node);
    return node;
  }

  function cssEscape(value) {
    return window.CSS && CSS.escape ? CSS.escape(value) : String(value).replace(/["\\]/g, "\\$&");
  }

  window.Chalkline = window.Chalkline || {};
  window.Chalkline.toast = showToast;

  doc.addEventListener("click", function (evt) {
    var close = evt.target.closest("[data-toast-close]");
    if (close) {
      dismissToast(close.closest("[data-toast]"));
      return;
    }
    var retryBtn = evt.target.closest("[data-toast-retry]");
    if (retryBtn && retryBtn._retry) {
      var fn = retryBtn._retry;
      dismissToast(retryBtn.closest("[data-toast]"));
      fn();
    }
  });

  // Server-rendered (flashed) toasts: start their timers.
  function initToasts(root) {
    var nodes = (root || doc).querySelectorAll("#toasts [data-toast]");
    for (var i = 0; i < nodes.length; i++) scheduleDismiss(nodes[i]);
  }

  // ---- htmx errors, with retry -------------------------------------------------------------

  function retryFor(detail) {
    var cfg = detail.requestConfig || {};
    var source = cfg.elt || detail.elt;
    var target = detail.target || cfg.target;
    var verb = cfg.verb || "get";
    var path = cfg.path || (detail.pathInfo && detail.pathInfo.requestPath);
    if (!path || !window.htmx) return null;
    return function () {
      if (!source || !doc.body.contains(source)) {
        // The element that asked is gone (swapped out): the safe retry is to reload the page.
        window.location.reload();
        return;
      }
      var ctx = { source: source };
      if (target && doc.body.contains(target)) ctx.target = target;
      window.htmx.ajax(verb, path, ctx);
    };
  }

  function requestKey(detail) {
    var cfg = detail.requestConfig || {};
    return (cfg.verb || "get") + " " + (cfg.path || "");
  }

  function serverSentToast(xhr) {
    var trig = xhr && xhr.getResponseHeader && xhr.getResponseHeader("HX-Trigger");
    return !!(trig && trig.indexOf("toast") !== -1);
  }

  doc.addEventListener("htmx:responseError", function (evt) {
    var d = evt.detail || {};
    var xhr = d.xhr;
    if (serverSentToast(xhr)) return;   // the server explained the failure itself
    var status = xhr ? xhr.status : 0;
    var text = msg("Error");
    var retry = retryFor(d);
    if (status === 404) {
      text = msg("Notfound", text);
      retry = null;
    } else if (status === 429) {
      text = msg("Ratelimit", text);
    } else if (status === 401 || (status === 400 && /csrf/i.test(xhr.responseText || ""))) {
      text = msg("Session", text);
      retry = function () { window.location.reload(); };
    }
    showToast(text, "error", retry, requestKey(d));
  });

  doc.addEventListener("htmx:sendError", function (evt) {
    var d = evt.detail || {};
    showToast(msg("Network"), "error", retryFor(d), requestKey(d));
  });

  doc.addEventListener("htmx:timeout", function (evt) {
    var d = evt.detail || {};
    showToast(msg("Timeout"), "error", retryFor(d), requestKey(d));
  });

  // Server toasts: HX-Trigger: {"toast": {"message": "...", "level": "success"}}
  doc.addEventListener("toast", function (evt) {
    var d = evt.detail || {};
    var message = d.message || d.value;
    if (message) showToast(String(message), d.level || "info");
  });

  // HX-Trigger: {"closeDialog": true} closes the open modal (e.g. after a successful save inside it).
  doc.addEventListener("closeDialog", function () {
    var open = doc.querySelectorAll("dialog[open]");
    for (var i = 0; i < open.length; i++) open[i].close();
  });

  // After a swap that brought back a form with errors (422), move focus to the first invalid field.
  doc.addEventListener("htmx:afterSwap", function (evt) {
    var d = evt.detail || {};
    var xhr = d.xhr;
    if (!xhr || xhr.status !== 422) return;
    var root = d.target && doc.body.contains(d.target) ? d.target : doc;
    var invalid = root.querySelector('[aria-invalid="true"]') || root.querySelector('[role="alert"]');
    if (invalid) {
      if (!invalid.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(invalid.tagName)) {
        invalid.setAttribute("tabindex", "-1");
      }
      invalid.focus();
    }
  });

  // ---- Offline banner -----------------------------------------------------------------------

  function setOffline(isOffline) {
    var banner = doc.getElementById("offline-banner");
    if (banner) banner.hidden = !isOffline;
    doc.documentElement.classList.toggle("is-offline", isOffline);
  }
  window.addEventListener("offline", function () { setOffline(true); });
  window.addEventListener("online", function () { setOffline(false); });

  // ---- Phone menu ---------------------------------------------------------------------------

  function setMenu(button, open) {
    var panel = doc.getElementById(button.getAttribute("aria-controls"));
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (panel) panel.classList.toggle("is-open", open);
  }

  doc.addEventListener("click", function (evt) {
    var button = evt.target.closest("[data-menu-toggle]");
    if (!button) return;
    setMenu(button, button.getAttribute("aria-expanded") !== "true");
  });

  doc.addEventListener("keydown", function (evt) {
    if (evt.key !== "Escape") return;
    var button = doc.querySelector('[data-menu-toggle][aria-expanded="true"]');
    if (button && !doc.querySelector("dialog[open]")) {
      setMenu(button, false);
      button.focus();
    }
  });

  // ---- Dialogs ------------------------------------------------------------------------------

  doc.addEventListener("click", function (evt) {
    var opener = evt.target.closest("[data-dialog-open]");
    if (opener) {
      var dialog = doc.getElementById(opener.getAttribute("data-dialog-open"));
      if (dialog && typeof dialog.showModal === "function" && !dialog.open) {
        evt.preventDefault();
        dialog.showModal();
      }
      return;
    }
    var closer = evt.target.closest("[data-dialog-close]");
    if (closer) {
      var owner = closer.closest("dialog");
      if (owner) owner.close();
      return;
    }
    // A click on the backdrop lands on the <dialog> itself, outside its content box.
    if (evt.target.tagName === "DIALOG" && evt.target.open) {
      var r = evt.target.getBoundingClientRect();
      var inside = evt.clientX >= r.left && evt.clientX <= r.right && evt.clientY >= r.top && evt.clientY <= r.bottom;
      if (!inside && evt.clientX !== 0 && evt.clientY !== 0) evt.target.close();
    }
  });

  // ---- Tabs ---------------------------------------------------------------------------------

  function selectTab(tab, focus) {
    var list = tab.closest('[role="tablist"]');
    if (!list) return;
    var tabs = list.querySelectorAll('[role="tab"]');
    for (var i = 0; i < tabs.length; i++) {
      var t = tabs[i];
      var selected = t === tab;
      t.setAttribute("aria-selected", selected ? "true" : "false");
      t.setAttribute("tabindex", selected ? "0" : "-1");
      var panel = doc.getElementById(t.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    }
    if (focus) tab.focus();
  }

  doc.addEventListener("click", function (evt) {
    var tab = evt.target.closest('[role="tab"]');
    if (tab) selectTab(tab, false);
  });

  doc.addEventListener("keydown", function (evt) {
    var tab = evt.target.closest && evt.target.closest('[role="tab"]');
    if (!tab) return;
    var list = tab.closest('[role="tablist"]');
    var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
    var i = tabs.indexOf(tab);
    var rtl = getComputedStyle(list).direction === "rtl";
    var next = null;
    switch (evt.key) {
      case "ArrowRight": next = tabs[(i + (rtl ? -1 : 1) + tabs.length) % tabs.length]; break;
      case "ArrowLeft": next = tabs[(i + (rtl ? 1 : -1) + tabs.length) % tabs.length]; break;
      case "Home": next = tabs[0]; break;
      case "End": next = tabs[tabs.length - 1]; break;
      default: return;
    }
    evt.preventDefault();
    selectTab(next, true);
  });

  // ---- Confirmations for plain (non-htmx) forms: <form data-confirm="..."> or a submit button with it.
  // htmx requests use hx-confirm, which needs no eval.
  doc.addEventListener("submit", function (evt) {
    var form = evt.target;
    var submitter = evt.submitter;
    var text = (submitter && submitter.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (text !== null && text !== undefined && !window.confirm(text || msg("Confirm"))) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  // ---- Start --------------------------------------------------------------------------------

  function start() {
    initToasts(doc);
    if (!navigator.onLine) setOffline(true);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the app works without it */ });
    }
  }
  if (doc.readyState === "loading") {
    doc.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
