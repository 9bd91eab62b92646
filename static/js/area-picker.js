/*
 * Area picker: live search for the admin area fields (locations/forms.py).
 *
 * Progressive enhancement only. Without this file the picker works by submitting the
 * form with its Search button; with it, typing in the search box asks
 * locations:search and refreshes the matching areas in place, keeping the boxes
 * already ticked. If the search does not answer, the Search button submits the form
 * as it would without JavaScript.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 300;

  function makeOption(picker, area) {
    var name = picker.dataset.name;
    var id = (picker.dataset.baseId || "id_" + name) + "_" + area.pcode;
    var wrapper = document.createElement("div");
    wrapper.className = "form-check";
    var input = document.createElement("input");
    input.className = "form-check-input";
    input.type = picker.dataset.inputType;
    input.name = name;
    input.value = area.pcode;
    input.id = id;
    var label = document.createElement("label");
    label.className = "form-check-label";
    label.htmlFor = id;
    label.textContent = area.label;
    wrapper.appendChild(input);
    wrapper.appendChild(label);
    return wrapper;
  }

  function chosenCodes(picker) {
    var codes = new Set();
    picker.querySelectorAll('input[name="' + CSS.escape(picker.dataset.name) + '"]').forEach(
      function (input) {
        if (input.checked && input.value) {
          codes.add(input.value);
        }
      }
    );
    return codes;
  }

  function show(picker, results) {
    var list = picker.querySelector("[data-area-picker-candidates]");
    var status = picker.querySelector("[data-area-picker-status]");
    // Ticked matches stay: the person chose them, a new search must not undo that.
    list.querySelectorAll(".form-check").forEach(function (row) {
      var input = row.querySelector("input");
      if (!input || !input.checked) {
        row.remove();
      }
    });
    var chosen = chosenCodes(picker);
    var shown = 0;
    results.forEach(function (area) {
      if (!chosen.has(area.pcode)) {
        list.appendChild(makeOption(picker, area));
        shown += 1;
      }
    });
    var message = shown ? picker.dataset.msgFound : picker.dataset.msgNone;
    if (results.length >= Number(picker.dataset.limit || 30)) {
      message += " " + picker.dataset.msgMore;
    }
    status.textContent = message;
  }

  function setUp(picker) {
    var box = picker.querySelector('input[type="search"]');
    var button = picker.querySelector("[data-area-picker-button]");
    var list = picker.querySelector("[data-area-picker-candidates]");
    var status = picker.querySelector("[data-area-picker-status]");
    if (!box || !button || !list || !status || !window.fetch) {
      return;
    }
    var timer = null;
    var controller = null;
    var lastQuery = null;

    function search(query, fallback) {
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      if (query.length < MIN_LENGTH) {
        show(picker, []);
        status.textContent = "";
        return;
      }
      controller = new AbortController();
      var url = new URL(picker.dataset.searchUrl, window.location.href);
      url.searchParams.set("q", query);
      if (picker.dataset.levels) {
        url.searchParams.set("level", picker.dataset.levels);
      }
      fetch(url.toString(), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller.signal,
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("search failed: " + response.status);
          }
          return response.json();
        })
        .then(function (results) {
          show(picker, results);
        })
        .catch(function (error) {
          if (error.name === "AbortError") {
            return;
          }
          lastQuery = null;
          if (fallback && button.form && button.form.requestSubmit) {
            button.form.requestSubmit(button);
          } else {
            status.textContent = picker.dataset.msgError;
          }
        });
    }

    box.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        search(box.value.trim(), false);
      }, DELAY_MS);
    });
    box.addEventListener("keydown", function (event) {
      // Enter searches instead of submitting the whole form.
      if (event.key === "Enter") {
        event.preventDefault();
        window.clearTimeout(timer);
        lastQuery = null;
        search(box.value.trim(), true);
      }
    });
    button.addEventListener("click", function (event) {
      if (box.value.trim().length < MIN_LENGTH) {
        return;
      }
      event.preventDefault();
      window.clearTimeout(timer);
      lastQuery = null;
      search(box.value.trim(), true);
    });
  }

  function start() {
    document.querySelectorAll("[data-area-picker]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
