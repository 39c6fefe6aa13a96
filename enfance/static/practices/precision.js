// The "Précisez si vous avez choisi « Autre »" boxes of the practice forms show only when an
// option that asks for a precision is picked. The server renders every box and still requires
// the precision (enfance/practices/forms.py): without this script, nothing is hidden.
(function () {
  "use strict";

  var groups = {};
  document.querySelectorAll("input[type=radio][data-precision]").forEach(function (radio) {
    var name = radio.dataset.precision;
    (groups[name] = groups[name] || []).push(radio);
  });

  Object.keys(groups).forEach(function (name) {
    var input = document.getElementsByName(name)[0];
    var box = input && input.closest(".fr-input-group");
    if (!box) {
      return;
    }
    var radios = groups[name];
    function update() {
      box.hidden = !radios.some(function (radio) {
        return radio.checked && radio.hasAttribute("data-asks-precision");
      });
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });
})();
