/* The facilitator's entry screen: as a reference is typed, say which paragraph it designates
   (or how many match), so that the note goes on the right one. The form works without it. */
(function () {
    "use strict";
    var input = document.querySelector("[data-entry-reference]");
    var preview = document.getElementById("reference-preview");
    var version = document.getElementById("id_version");
    if (!input || !preview || !version) {
        return;
    }
    var timer = null;
    var asked = 0;
    function show() {
        var query = input.value.trim();
        var number = ++asked;
        if (!query || !version.value) {
            preview.textContent = "";
            return;
        }
        var address = input.form.getAttribute("action") + "?" + new URLSearchParams({
            find: query,
            version: version.value
        }).toString();
        fetch(address, {credentials: "same-origin", headers: {Accept: "application/json"}})
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (found) {
                if (found && number === asked) {
                    preview.textContent = found.sentence;
                }
            })
            .catch(function () { preview.textContent = ""; });
    }
    input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(show, 250);
    });
}());
