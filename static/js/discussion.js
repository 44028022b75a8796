/*
 * The discussion of a paragraph, opened in place on the iteration page.
 *
 * Without this script each "N comments" link leads to the paragraph's own page. With it, the
 * link opens a panel under the paragraph holding the same discussion, loaded on demand; the
 * panel's links and forms (reply, report, react, follow, post) are answered inside the panel,
 * with the server's own messages and refusals. One panel is shown at a time; a panel closed
 * with text typed in it is kept and comes back as it was.
 */
(function () {
  "use strict";

  var HEADER = "X-Discussion-Panel";
  var text = document.querySelector(".charter-text");
  if (!text || !window.fetch || !window.FormData || !window.URL) {
    return;
  }

  var panel = null; // the panel element currently attached
  var current = null; // the link that opened it
  var kept = {}; // paragraph path -> detached panel holding typed text

  function pathOf(href) {
    return new URL(href, document.baseURI).pathname;
  }

  function setBusy(message) {
    panel.setAttribute("aria-busy", "true");
    var status = document.createElement("p");
    status.className = "discussion-panel__status";
    status.setAttribute("role", "status");
    status.textContent = message;
    panel.replaceChildren(status);
  }

  function showError(href) {
    var box = document.createElement("p");
    box.className = "notice";
    box.setAttribute("role", "alert");
    box.textContent = text.dataset.panelError + " ";
    var link = document.createElement("a");
    link.href = href;
    link.textContent = text.dataset.panelOpen;
    box.appendChild(link);
    panel.replaceChildren(box);
    panel.removeAttribute("aria-busy");
  }

  function hasTypedText(element) {
    return Array.prototype.some.call(
      element.querySelectorAll("textarea:not([readonly]), input[type=text]:not([name=website])"),
      function (field) { return field.value.trim() !== ""; }
    );
  }

  // What the reader typed in the panel's boxes, by box id, except in ``leaving`` (the form being
  // sent: what it sends is the server's to give back or to publish).
  function typedIn(leaving) {
    var typed = {};
    if (!panel) {
      return typed;
    }
    panel.querySelectorAll("textarea:not([readonly])").forEach(function (field) {
      if (field.id && field.value.trim() !== "" && !(leaving && leaving.contains(field))) {
        typed[field.id] = field.value;
      }
    });
    return typed;
  }

  // Reacting, replying or reporting reloads the panel: the text typed meanwhile in another box
  // (a comment being written) comes back in the same box, unless the server filled it.
  function giveBack(typed) {
    Object.keys(typed).forEach(function (id) {
      var field = panel.querySelector("#" + CSS.escape(id));
      if (field && field.value.trim() === "") {
        field.value = typed[id];
      }
    });
  }

  function focusIn(id) {
    var target = (id && panel.querySelector("#" + CSS.escape(id))) ||
      panel.querySelector("#discussion-title");
    if (!target) {
      return;
    }
    if (target.matches("form")) {
      // An opened form (report): start on its first field.
      target = target.querySelector("select, textarea, input:not([type=hidden])") || target;
    }
    if (target.matches("li, section, form, div")) {
      target.setAttribute("tabindex", "-1");
    }
    target.focus();
    target.scrollIntoView({ block: "nearest" });
  }

  function show(html, focusId, href, typed) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var content = template.content.querySelector(".discussion-panel__content");
    if (!content) {
      showError(href);
      return;
    }
    panel.replaceChildren(content);
    panel.removeAttribute("aria-busy");
    giveBack(typed || {});
    var label = content.dataset.commentLabel;
    var count = current && current.querySelector(".charter-paragraph__count");
    if (label && count) {
      count.textContent = label;
    }
    focusIn(content.dataset.focus || focusId);
  }

  function load(url, options, focusId, leaving) {
    var href = url.split("#")[0];
    var typed = typedIn(leaving);
    options = options || {};
    options.headers = {};
    options.headers[HEADER] = "1";
    options.credentials = "same-origin";
    setBusy(text.dataset.panelLoading);
    return fetch(href, options)
      .then(function (response) {
        return response.text().then(function (body) { show(body, focusId, href, typed); });
      })
      .catch(function () { showError(href); });
  }

  function close() {
    if (!panel) {
      return;
    }
    if (hasTypedText(panel)) {
      kept[pathOf(current.href)] = panel;
    }
    panel.remove();
    current.setAttribute("aria-expanded", "false");
    var link = current;
    panel = null;
    current = null;
    link.focus();
  }

  function open(link) {
    var path = pathOf(link.href);
    if (panel) {
      close();
    }
    current = link;
    link.setAttribute("aria-expanded", "true");
    var paragraph = link.closest(".charter-paragraph");
    if (kept[path]) {
      panel = kept[path];
      delete kept[path];
      paragraph.appendChild(panel);
      focusIn(null);
      return;
    }
    panel = document.createElement("div");
    panel.className = "discussion-panel";
    panel.id = "discussion-panel";
    paragraph.appendChild(panel);
    load(link.href, {}, null);
  }

  function ordinaryClick(event) {
    return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey &&
      !event.altKey;
  }

  text.querySelectorAll("a.charter-paragraph__comments").forEach(function (link) {
    link.setAttribute("aria-expanded", "false");
    link.setAttribute("aria-controls", "discussion-panel");
  });

  text.addEventListener("click", function (event) {
    if (!ordinaryClick(event)) {
      return;
    }
    var target = event.target.closest("a, button[data-panel-close]");
    if (!target) {
      return;
    }
    if (target.matches("a.charter-paragraph__comments")) {
      event.preventDefault();
      if (current === target) {
        close();
      } else {
        open(target);
      }
      return;
    }
    if (!panel || !panel.contains(target)) {
      return;
    }
    if (target.matches("button[data-panel-close]")) {
      close();
      return;
    }
    // Links to the same paragraph (sort, reply, report, cancel) stay in the panel.
    if (target.href && pathOf(target.href) === pathOf(current.href) &&
        new URL(target.href).search !== "") {
      event.preventDefault();
      load(target.href, {}, new URL(target.href).hash.slice(1));
    }
  });

  text.addEventListener("submit", function (event) {
    var form = event.target;
    if (!panel || !panel.contains(form) || form.method.toLowerCase() !== "post") {
      return;
    }
    event.preventDefault();
    var data = new FormData(form, event.submitter || undefined);
    form.querySelectorAll("button").forEach(function (button) { button.disabled = true; });
    load(form.action, { method: "POST", body: data }, null, form);
  });
})();
