/*
 * Autosave of an editor form as a draft: every ten seconds and when a field loses focus,
 * if anything changed, the form's fields are posted to the URL in its data-draft-url
 * attribute. The server answers with a translated message ("Draft saved at 14:05"), shown
 * in the element named by data-draft-status (an aria-live region). A draft the server
 * refuses (a 400) is answered with the reason, in the user's language: it is shown instead,
 * and the same text is not sent again. Other failures (the network, the server) show the
 * status element's data-error-message and are tried again. Without JavaScript the form's
 * own "Save draft" button does the same.
 */
(function () {
  "use strict";

  var INTERVAL_MS = 10000;

  function start(form) {
    var url = form.getAttribute("data-draft-url");
    var status = document.getElementById(form.getAttribute("data-draft-status"));
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
    var refused = null;
    var sending = false;
    var again = false;
    var submitting = false;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function save() {
      if (submitting) {
        return;
      }
      if (sending) {
        // A change made while a draft is on its way is saved right after it.
        again = true;
        return;
      }
      var body = serialise();
      if (body === lastSaved || body === refused) {
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
          if (response.status === 400) {
            return response.json().then(function (data) {
              if (!data || !data.message) {
                throw new Error("400");
              }
              refused = body;
              say(data.message);
            });
          }
          if (!response.ok) {
            throw new Error(String(response.status));
          }
          return response.json().then(function (data) {
            lastSaved = body;
            refused = null;
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

    // A draft saved after the page itself would outlive it: stop once the form is sent.
    form.addEventListener("submit", function () {
      submitting = true;
    });
    form.addEventListener("focusout", save);
    window.setInterval(save, INTERVAL_MS);
  }

  function init() {
    var forms = document.querySelectorAll("form[data-draft-url]");
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
