// « − » and « + » buttons beside each figure of free places, for a thumb on a phone: they move
// the number within its bounds (min and max of the input, the same as the server checks).
(function () {
  "use strict";

  function button(label, text, step, input) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = "fr-btn fr-btn--secondary care-stepper__button";
    element.textContent = text;
    element.setAttribute("aria-label", label);
    element.addEventListener("click", function () {
      var value = parseInt(input.value || "0", 10) + step;
      var min = parseInt(input.min, 10);
      var max = parseInt(input.max, 10);
      input.value = Math.max(min, Math.min(max, isNaN(value) ? 0 : value));
    });
    return element;
  }

  document.querySelectorAll("input[data-stepper]").forEach(function (input) {
    var name = input.labels.length ? input.labels[0].firstChild.textContent.trim() : "";
    var row = document.createElement("div");
    row.className = "care-stepper__row";
    input.parentNode.insertBefore(row, input);
    row.appendChild(button("Une place libre de moins : " + name, "−", -1, input));
    row.appendChild(input);
    row.appendChild(button("Une place libre de plus : " + name, "+", 1, input));
  });
})();
