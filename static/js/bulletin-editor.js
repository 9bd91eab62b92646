/*
 * Autosave of the bulletin editor: a moment after the coordinator stops typing (and every
 * few seconds while they type), if anything changed, the form's fields are posted to the URL
 * in its data-autosave-url attribute, with the CSRF token in a header. The server saves them
 * and answers with a translated message ("Draft saved at 14:05", or why it could not save
 * yet), written into the aria-live region named by data-autosave-status. Without JavaScript
 * the Save button does the same.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 1500;
  var MAX_WAIT_MS = 8000;

  function start(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = document.getElementById(form.getAttribute("data-autosave-status"));
    if (!url || !window.fetch || !window.FormData || !window.URLSearchParams) {
      return;
    }

    function serialise() {
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") {
          params.append(name, value);
        }
      });
      return params.toString();
    }

    var lastSaved = serialise();
    var sending = false;
    var again = false;
    var submitting = false;
    var debounce = null;
    var firstChange = 0;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function save() {
      window.clearTimeout(debounce);
      debounce = null;
      firstChange = 0;
      if (submitting) {
        return;
      }
      if (sending) {
        again = true;
        return;
      }
      var body = serialise();
      if (body === lastSaved) {
        return;
      }
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      sending = true;
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
          "X-CSRFToken": token ? token.value : "",
          "X-Requested-With": "fetch",
          "Accept": "application/json"
        }
      })
        .then(function (response) {
          return response.json().then(function (data) {
            if (response.ok) {
              lastSaved = body;
            }
            say(data.message);
          });
        })
        .catch(function () {
          say(status ? status.getAttribute("data-error-message") : "");
        })
        .then(function () {
          sending = false;
          if (again) {
            again = false;
            save();
          }
        });
    }

    function changed() {
      var now = Date.now();
      if (!firstChange) {
        firstChange = now;
      }
      window.clearTimeout(debounce);
      // Saved after a pause in typing, and at least every MAX_WAIT_MS during a long burst.
      var wait = Math.min(DEBOUNCE_MS, Math.max(0, firstChange + MAX_WAIT_MS - now));
      debounce = window.setTimeout(save, wait);
    }

    form.addEventListener("submit", function () {
      submitting = true;
    });
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
  }

  function init() {
    var forms = document.querySelectorAll("form[data-autosave-url]");
    for (var i = 0; i < forms.length; i += 1) {
      start(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
