// The report editor's live figures: a button inserts its {{CODE=VALUE}} token at the cursor
// of the text area last used (the first one when none was). No inline script (strict CSP).
(function () {
  "use strict";
  var last = null;
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.tagName === "TEXTAREA") {
      last = event.target;
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.token") : null;
    if (!button) {
      return;
    }
    event.preventDefault();
    var area = last || document.querySelector("form textarea");
    if (!area) {
      return;
    }
    var token = button.getAttribute("data-token");
    var start = area.selectionStart === undefined ? area.value.length : area.selectionStart;
    var end = area.selectionEnd === undefined ? start : area.selectionEnd;
    area.value = area.value.slice(0, start) + token + area.value.slice(end);
    var caret = start + token.length;
    area.focus();
    area.setSelectionRange(caret, caret);
  });
})();
