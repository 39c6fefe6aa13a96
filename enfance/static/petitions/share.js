// « Copier l'adresse » on the page of a confirmed signature: copies the petition's address from
// its read-only field. The button is hidden without JavaScript, where the field and its hint
// (select, then copy) do the same.
(function () {
  "use strict";

  function copied(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    // Older browsers and plain-HTTP pages: the selection copied the legacy way.
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!input || !status) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      copied(input).then(
        function () {
          status.textContent = "Adresse copiée : vous pouvez la coller où vous voulez.";
        },
        function () {
          input.select();
          status.textContent = "La copie n'a pas fonctionné : l'adresse est sélectionnée, copiez-la avec Ctrl+C.";
        }
      );
    });
  });
})();
