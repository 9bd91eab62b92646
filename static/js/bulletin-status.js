/*
 * The bulletin page follows each edition's build: while it is queued or building, its status
 * is fetched (JSON) every two seconds and written into its aria-live region, until the build
 * is ready or has failed; then the download link appears and the edition's Build button is
 * enabled again.
 * Without JavaScript the page offers a Refresh link instead.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 2000;

  function start(box) {
    var url = box.getAttribute("data-status-url");
    if (!url || !window.fetch || box.getAttribute("data-poll") !== "on") {
      return;
    }
    var label = box.querySelector("[data-build-label]");
    var reason = box.querySelector("[data-build-reason]");
    var refresh = box.querySelector("[data-build-refresh]");
    var download = box.querySelector("[data-build-download]");
    var when = box.querySelector("[data-build-when]");
    // Each edition's card has its own Build button; without a card, the page's.
    var scope = (box.closest && box.closest("[data-build-scope]")) || document;
    var button = scope.querySelector("[data-build-button]");
    var timer = null;
    var shown = "";

    function show(data) {
      // Only a change is written: the live region speaks each time its text changes.
      var text = data.label + "|" + data.reason;
      if (text !== shown) {
        shown = text;
        label.textContent = data.label;
        reason.textContent = data.reason || "";
        reason.classList.toggle("text-danger", data.status === "failed");
      }
      if (data.has_pdf) {
        download.hidden = false;
        if (when) {
          when.textContent = data.built_text || "";
        }
      }
      if (!data.in_progress) {
        window.clearInterval(timer);
        if (refresh) {
          refresh.hidden = true;
        }
        if (button) {
          button.disabled = false;
        }
      }
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json();
        })
        .then(show)
        .catch(function () {
          // A missed poll is retried at the next tick; the Refresh link stays.
        });
    }

    timer = window.setInterval(poll, INTERVAL_MS);
  }

  function init() {
    var boxes = document.querySelectorAll("[data-build-status]");
    for (var i = 0; i < boxes.length; i += 1) {
      start(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
