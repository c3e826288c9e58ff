/* Rich text editor glue for Trix (vendored in static/vendor/). Loaded just before Trix by the rich_text_assets
   macro (templates/ui/forms.html); the editor markup comes from the rich_text macro.
   - Keeps the CSP strict: Trix inserts a <style> for its own elements as it loads, which style-src 'self' would
     refuse (a console error and a violation report). Those rules are in app.css, so the insertion is skipped.
   - Configures Trix for the stored vocabulary (paragraphs as <p>, headings h2-h4, captions without file names).
   - Uploads images to the field's data-upload-url with the CSRF token of <meta name="csrf-token">, then inserts
     them; shows upload errors in the field, and holds back a submit while an upload is still running.
   - The math and table dialogs insert LaTeX text and table attachments.
   - Keeps the hidden input in step with the editor for plain (non-htmx) form posts.
   Vanilla JS, no eval, no inline script or style. User-facing strings come from the field's data-msg-* attributes. */
(function () {
  "use strict";

  var doc = document;
  var TABLE_TYPE = "application/vnd.chalkline.table+html";
  var IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

  // ---- No inline <style> from Trix ---------------------------------------------------------------

  var head = doc.head;
  var nativeInsertBefore = head.insertBefore;
  head.insertBefore = function (node, ref) {
    if (node && node.nodeName === "STYLE" && /^trix-/.test(node.getAttribute("data-tag-name") || "")) {
      return node;   // app.css carries these rules ("Rich text" block)
    }
    return nativeInsertBefore.call(this, node, ref);
  };
  function restoreHead() { head.insertBefore = nativeInsertBefore; }
  // Trix's module code (which inserts the styles) has run by the time the document is parsed, and always before
  // its elements initialise (it defines them in a timeout).
  doc.addEventListener("DOMContentLoaded", restoreHead);

  // ---- Configuration -----------------------------------------------------------------------------

  var configured = false;
  function configure(field) {
    if (configured || !window.Trix) return;
    configured = true;
    var blocks = window.Trix.config.blockAttributes;
    blocks["default"].tagName = "p";
    blocks["default"].breakOnReturn = true;
    blocks.heading1.tagName = "h2";
    blocks.heading2 = { tagName: "h3", terminal: true, breakOnReturn: true, group: false };
    blocks.heading3 = { tagName: "h4", terminal: true, breakOnReturn: true, group: false };
    // Trix marks the selection a dialog acts on with an inline style attribute, which the CSP refuses when Trix
    // re-parses its own HTML; a <mark> (styled in app.css) shows the same highlight.
    window.Trix.config.textAttributes.frozen = { tagName: "mark", inheritable: true };
    window.Trix.config.attachments.preview.caption = { name: false, size: false };
    var lang = window.Trix.config.lang;
    lang.captionPlaceholder = msg(field, "Caption", lang.captionPlaceholder);
    lang.remove = msg(field, "Remove", lang.remove);
  }

  doc.addEventListener("trix-before-initialize", function (evt) {
    restoreHead();
    configure(fieldOf(evt.target));
  });

  function fieldOf(node) { return node && node.closest ? node.closest("[data-rich-text]") : null; }

  function msg(field, key, fallback) {
    return (field && field.getAttribute("data-msg-" + key.toLowerCase())) || fallback || "";
  }

  function csrfToken() {
    var meta = doc.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // ---- Status messages in the field ---------------------------------------------------------------

  function showStatus(field, text) {
    var status = field && field.querySelector("[data-rt-status]");
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }

  // ---- Images --------------------------------------------------------------------------------------
  // Trix would show a dropped or chosen file at once through a blob: URL, which the CSP (img-src 'self' data:)
  // refuses. So the file is uploaded first and the attachment inserted with its own URL once it is stored.

  doc.addEventListener("trix-file-accept", function (evt) {
    evt.preventDefault();
    var editor = evt.target;
    var field = fieldOf(editor);
    var file = evt.file;
    var max = parseInt(field && field.getAttribute("data-max-image-bytes"), 10) || 0;
    if (!field || !field.getAttribute("data-upload-url")) return;
    if (IMAGE_TYPES.indexOf(file.type) < 0) {
      showStatus(field, msg(field, "WrongType"));
    } else if (max && file.size > max) {
      showStatus(field, msg(field, "TooLarge"));
    } else {
      showStatus(field, "");
      upload(editor, file);
    }
  });

  function upload(editor, file) {
    var field = fieldOf(editor);
    var form = new FormData();
    form.append("file", file);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", field.getAttribute("data-upload-url"), true);
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json");
    setPending(field, 1);
    showProgress(field, msg(field, "Uploading"));
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) showProgress(field, msg(field, "Uploading") + " " + Math.round((e.loaded / e.total) * 100) + "%");
    });
    xhr.addEventListener("load", function () {
      setPending(field, -1);
      var body = parseJSON(xhr.responseText);
      if (xhr.status === 201 && body && body.url) {
        editor.editor.insertAttachment(new window.Trix.Attachment({
          url: body.url, href: body.href, contentType: body.content_type, filename: file.name,
          filesize: body.byte_size, width: body.width, height: body.height
        }));
        showStatus(field, "");
      } else if (xhr.status === 401 || (xhr.status === 200 && !body)) {
        showStatus(field, msg(field, "Session"));   // signed out meanwhile: the answer was the sign-in page
      } else {
        showStatus(field, (body && body.error && body.error.message) || msg(field, "UploadFailed"));
      }
    });
    xhr.addEventListener("error", function () {
      setPending(field, -1);
      showStatus(field, msg(field, "Network"));
    });
    xhr.send(form);
  }

  function showProgress(field, text) {
    var node = field.querySelector("[data-rt-progress]");
    if (node) node.textContent = text;
  }

  function parseJSON(text) {
    try { return JSON.parse(text); } catch (e) { return null; }
  }

  function setPending(field, delta) {
    var count = (parseInt(field.getAttribute("data-pending"), 10) || 0) + delta;
    field.setAttribute("data-pending", String(Math.max(0, count)));
    if (count <= 0) showProgress(field, "");
  }

  // ---- Math and table dialogs ----------------------------------------------------------------------

  doc.addEventListener("trix-toolbar-dialog-show", function (evt) {
    var name = evt.dialogName;
    if (name !== "x-math" && name !== "x-table") return;
    var dialog = evt.target.toolbarElement.querySelector('[data-trix-dialog="' + name + '"]');
    var input = dialog && dialog.querySelector("input[type=text], textarea");
    if (input) setTimeout(function () { input.focus(); }, 0);
  });

  function editorFor(control) {
    var field = fieldOf(control);
    return field ? field.querySelector("trix-editor") : null;
  }

  function insertMath(button) {
    var dialog = button.closest("[data-trix-dialog]");
    var input = dialog.querySelector("[data-rt-math-input]");
    var tex = input.value.trim();
    var editor = editorFor(button);
    if (!tex || !editor) return;
    var display = dialog.querySelector("[data-rt-math-display]").checked;
    editor.editor.insertString(display ? "\\[" + tex + "\\]" : "\\(" + tex + "\\)");
    input.value = "";
  }

  function insertTable(button) {
    var dialog = button.closest("[data-trix-dialog]");
    var input = dialog.querySelector("[data-rt-table-input]");
    var editor = editorFor(button);
    var lines = input.value.split("\n").filter(function (line) { return line.trim() !== ""; });
    if (!lines.length || !editor) return;
    var header = dialog.querySelector("[data-rt-table-header]").checked;
    var rows = lines.map(function (line, index) {
      var tag = header && index === 0 ? "th" : "td";
      return "<tr>" + line.split("|").map(function (cell) {
        return "<" + tag + ">" + escapeHTML(cell.trim()) + "</" + tag + ">";
      }).join("") + "</tr>";
    });
    var html = "<table><tbody>" + rows.join("") + "</tbody></table>";
    editor.editor.insertAttachment(new window.Trix.Attachment({ content: html, contentType: TABLE_TYPE }));
    input.value = "";
  }

  function escapeHTML(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Trix closes the dialog on these buttons first (data-trix-method="hideDialog" puts the caret back where it
  // was), then this inserts at the caret.
  doc.addEventListener("click", function (evt) {
    var math = evt.target.closest("[data-rt-insert-math]");
    if (math) { insertMath(math); return; }
    var table = evt.target.closest("[data-rt-insert-table]");
    if (table) insertTable(table);
  });

  // Enter in the math input inserts (and never submits the page's form); Escape closes the dialog.
  doc.addEventListener("keydown", function (evt) {
    var input = evt.target.closest && evt.target.closest("[data-rt-math-input], [data-rt-table-input]");
    if (!input) return;
    var dialog = input.closest("[data-trix-dialog]");
    if (evt.key === "Enter" && input.hasAttribute("data-rt-math-input")) {
      evt.preventDefault();
      dialog.querySelector("[data-rt-insert-math]").click();
    } else if (evt.key === "Escape") {
      evt.preventDefault();
      dialog.querySelector("[data-rt-cancel]").click();
    }
  });

  // ---- Plain form posts ----------------------------------------------------------------------------

  doc.addEventListener("submit", function (evt) {
    var fields = evt.target.querySelectorAll ? evt.target.querySelectorAll("[data-rich-text]") : [];
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if ((parseInt(field.getAttribute("data-pending"), 10) || 0) > 0) {
        evt.preventDefault();
        evt.stopImmediatePropagation();
        showStatus(field, msg(field, "Wait"));
        return;
      }
      var editor = field.querySelector("trix-editor");
      var input = editor && doc.getElementById(editor.getAttribute("input"));
      if (editor && input && editor.editor) input.value = editor.value;
    }
  }, true);
})();
