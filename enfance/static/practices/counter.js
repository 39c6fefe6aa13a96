// The live counter "N sur 1000 caractères" of the practice forms. It counts as the server does
// (enfance/practices/forms.py): line breaks are one character, outer spaces are not counted,
// and characters are Unicode code points (an emoji is one).
(function () {
  "use strict";

  function count(value) {
    return Array.from(value.replace(/\r\n?/g, "\n").trim()).length;
  }

  function bind(textarea) {
    var output = document.getElementById(textarea.dataset.counter);
    var limit = parseInt(textarea.dataset.counterLimit, 10);
    if (!output || !limit) {
      return;
    }
    var group = textarea.closest(".fr-input-group");
    function update() {
      var n = count(textarea.value);
      output.textContent = n + " sur " + limit + " caractères";
      var over = n > limit;
      output.classList.toggle("fr-error-text", over);
      if (over) {
        output.textContent += " : " + (n - limit) + " de trop";
      }
    }
    textarea.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("textarea[data-counter]").forEach(bind);
})();
