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
  // The header's language links send the step first, as the form's own language button does:
  // a plain link would drop what was typed on the page. (Not a submit button in the header:
  // coming first in the page, it would become the form's default, pressed by Enter.)
  document.querySelectorAll("a[data-step-lang]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var action = document.createElement("input");
      action.type = "hidden";
      action.name = "action";
      action.value = "lang:" + link.getAttribute("data-step-lang");
      form.appendChild(action);
      form.submit();
    });
  });
})();
