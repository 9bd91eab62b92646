/* Activity report rows: fit each row's figure inputs to the activity chosen, and show the sum
   of its sex-and-age groups as the total's hint where the total is added up.
   Progressive enhancement only: without it the page shows every input of a blank row, and
   the server names the groups an activity counts. */
(function () {
  "use strict";
  var form = document.querySelector("[data-report-rows]");
  if (!form) {
    return;
  }
  var order = ["girls", "boys", "women", "men", "older_people", "people_with_disabilities", "total"];
  var groups = ["girls", "boys", "women", "men"];
  var source = document.getElementById("activity-figures");
  var activities = source ? JSON.parse(source.textContent) : {};

  function field(row, name) {
    return row.querySelector('input[name$="-' + name + '"]');
  }

  function activityOf(row) {
    var select = row.querySelector('select[name$="-activity"]');
    return select && select.value ? activities[select.value] || null : null;
  }

  function update(row) {
    var total = field(row, "total");
    if (!total) {
      return;
    }
    var activity = activityOf(row);
    var sum = 0;
    var present = 0;
    var filled = 0;
    groups.forEach(function (name) {
      var input = field(row, name);
      if (!input) {
        return;
      }
      present += 1;
      if (input.value !== "" && !isNaN(Number(input.value))) {
        sum += Number(input.value);
        filled += 1;
      }
    });
    var addedUp = activity ? activity.added_up : present === groups.length;
    total.placeholder = addedUp && present > 0 && filled === present ? String(sum) : "";
  }

  function cellFor(row, name) {
    var template = form.querySelector('template[data-figure-template="' + name + '"]');
    var select = row.querySelector('select[name$="-activity"]');
    if (!template || !select) {
      return null;
    }
    var prefix = select.name.replace(/-activity$/, "");
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/form-__prefix__/g, prefix);
    return holder.firstElementChild;
  }

  // Keep the inputs the chosen activity collects, in the page's order; drop the others.
  function fit(row) {
    var box = row.querySelector("[data-figures]");
    if (!box) {
      return;
    }
    var activity = activityOf(row);
    var wanted = activity ? activity.figures : order;
    var previous = null;
    order.forEach(function (name) {
      var cell = box.querySelector('[data-figure="' + name + '"]');
      if (wanted.indexOf(name) === -1) {
        if (cell) {
          cell.remove();
        }
        return;
      }
      if (!cell) {
        cell = cellFor(row, name);
        if (!cell) {
          return;
        }
        box.insertBefore(cell, previous ? previous.nextSibling : box.firstChild);
      }
      previous = cell;
    });
    var text = row.querySelector("[data-figures-text]");
    if (text) {
      text.textContent = activity ? activity.text : "";
    }
  }

  form.querySelectorAll("[data-report-row]").forEach(function (row) {
    update(row);
    row.addEventListener("input", function () {
      update(row);
    });
    row.addEventListener("change", function (event) {
      if (event.target.matches('select[name$="-activity"]')) {
        fit(row);
        update(row);
      }
    });
  });
})();
