/* A debate's two columns of arguments become two tabs on a narrow screen (for / against).
 * Without this script, or on a wide screen, both columns are shown: nothing depends on it. */
(function () {
  "use strict";
  var narrow = window.matchMedia("(max-width: 47.99rem)");

  function setUp(container) {
    var panels = Array.prototype.slice.call(container.querySelectorAll(".debate-column"));
    if (panels.length < 2) return;
    var list = document.createElement("div");
    list.className = "debate-tabs";
    list.setAttribute("role", "tablist");
    var tabs = panels.map(function (panel, index) {
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = panel.id + "-tab";
      tab.className = "debate-tabs__tab";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.textContent = panel.querySelector("h3").textContent;
      tab.addEventListener("click", function () { select(index, true); });
      tab.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = (index + 1) % tabs.length;
        if (event.key === "ArrowLeft") next = (index - 1 + tabs.length) % tabs.length;
        if (event.key === "Home") next = 0;
        if (event.key === "End") next = tabs.length - 1;
        if (next !== null) { event.preventDefault(); select(next, true); }
      });
      list.appendChild(tab);
      return tab;
    });
    container.parentNode.insertBefore(list, container);

    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        var on = i === index;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        if (narrow.matches) {
          panels[i].hidden = !on;
          panels[i].setAttribute("role", "tabpanel");
          panels[i].setAttribute("aria-labelledby", tab.id);
        }
      });
      if (focus) tabs[index].focus();
    }

    function apply() {
      list.hidden = !narrow.matches;
      if (narrow.matches) {
        var id = window.location.hash.slice(1);
        var start = panels.findIndex(function (panel) {
          return id && (panel.id === id || panel.querySelector('[id="' + CSS.escape(id) + '"]'));
        });
        select(start > 0 ? start : 0, false);
      } else {
        panels.forEach(function (panel) {
          panel.hidden = false;
          panel.removeAttribute("role");
          panel.setAttribute("aria-labelledby", panel.id + "-title");
        });
      }
    }
    narrow.addEventListener("change", apply);
    apply();
  }

  document.querySelectorAll("[data-debate-tabs]").forEach(setUp);
})();
