// Enhancements of every page; each page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // A refused form's error summary (templates/includes/error_summary.html) takes the focus, and
  // each of its links takes the focus to its field (GOV.UK's pattern).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var field = document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      var label = document.querySelector("label[for='" + field.id + "']");
      (label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
    return;
  }
  // What a reloaded page is about: a preview, or the field a refusal is about
  // (data-autofocus), takes the focus, so that it is read out and typed in next.
  var first = document.querySelector("[data-autofocus]");
  if (first) {
    first.focus();
    return;
  }
  // A confirmation (templates/includes/messages.html) shows where the action was, when the page
  // opens at it (« #c12 »), instead of at the top, out of view; and it is spoken, since a live
  // region speaks what changes in it, not what a page loads with.
  var messages = document.querySelector(".messages");
  if (!messages) return;
  var id = decodeURIComponent(location.hash.slice(1));
  var target = id && document.getElementById(id);
  var moved = target && target.id !== "main";
  if (moved) {
    if (target.tagName === "LI") target.insertBefore(messages, target.firstChild);
    else target.parentNode.insertBefore(messages, target);
  }
  // Spoken by a live region of its own, filled once the page has loaded (the confirmation
  // itself stays as it is, for the eyes).
  var announcer = document.createElement("div");
  announcer.className = "visually-hidden";
  announcer.setAttribute("role", "status");
  document.body.appendChild(announcer);
  messages.removeAttribute("role");
  setTimeout(function () {
    announcer.textContent = messages.textContent.trim();
    // After the browser's own scroll to the address's anchor.
    if (moved) messages.scrollIntoView({ block: "start" });
  }, 300);
});

// A document being prepared (templates/documents/pending.html): its state is asked now and then
// (a cheap question that builds nothing); once ready, it is said, and the link to download it
// takes the focus. Nothing downloads by itself: the reader chooses when.
document.addEventListener("DOMContentLoaded", function () {
  var pending = document.querySelector("[data-document-pending]");
  if (!pending || !window.fetch) return;
  var status = pending.querySelector("[role='status']");
  var link = pending.querySelector("[data-document-link]");
  var tries = 0;
  function ask() {
    tries += 1;
    fetch(pending.getAttribute("data-document-pending"), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.state === "ready") {
          status.textContent = pending.getAttribute("data-ready-message");
          link.focus();
        } else if (answer.state === "failed") {
          status.textContent = pending.getAttribute("data-failed-message");
        } else if (tries < 40) {
          setTimeout(ask, Math.min(2000 + tries * 500, 8000));
        }
      })
      .catch(function () {});
  }
  setTimeout(ask, 1500);
});
