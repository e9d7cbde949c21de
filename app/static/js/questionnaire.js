// Progressive enhancement of the questionnaire: hide a question while the answer it depends
// on says it does not apply. Without JavaScript every question shows and the server ignores
// the ones that do not apply.
(function () {
  "use strict";
  var form = document.querySelector("form.step-form");
  if (!form) { return; }
  var dependents = form.querySelectorAll("[data-applies-when]");
  function currentValues(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      values.push(String(input.value).toLowerCase());
    });
    return values;
  }
  function refresh() {
    dependents.forEach(function (block) {
      var parent = block.getAttribute("data-applies-when");
      if (!form.querySelector('[name="' + parent + '"]')) { return; } // asked on another page
      var wanted = block.getAttribute("data-applies-values").split(" ");
      var given = currentValues(parent);
      var applies = given.length === 0 || given.some(function (v) { return wanted.indexOf(v) >= 0; });
      block.hidden = !applies;
    });
  }
  form.addEventListener("change", refresh);
  refresh();
})();
