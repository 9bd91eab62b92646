/* Activity report rows: show the sum of girls, boys, women and men as the total's hint.
   Progressive enhancement only: the form works the same without it. */
(function () {
  "use strict";
  var form = document.querySelector("[data-report-rows]");
  if (!form) {
    return;
  }
  var parts = ["girls", "boys", "women", "men"];

  function field(row, name) {
    return row.querySelector('input[name$="-' + name + '"]');
  }

  function update(row) {
    var total = field(row, "total");
    if (!total) {
      return;
    }
    var sum = 0;
    var filled = 0;
    parts.forEach(function (name) {
      var input = field(row, name);
      if (input && input.value !== "" && !isNaN(Number(input.value))) {
        sum += Number(input.value);
        filled += 1;
      }
    });
    total.placeholder = filled === parts.length ? String(sum) : "";
  }

  form.querySelectorAll("[data-report-row]").forEach(function (row) {
    update(row);
    row.addEventListener("input", function () {
      update(row);
    });
  });
})();
