// Confirmation before irreversible moves. No inline script: the CSP forbids it.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
document.addEventListener("click", function (event) {
  var el = event.target.closest("[data-confirm-click]");
  if (el && !window.confirm(el.getAttribute("data-confirm-click"))) {
    event.preventDefault();
  }
});
