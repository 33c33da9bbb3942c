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
// A background task's page follows its progress until it is finished, then reloads once to
// show the result. Without script the page still shows the state it was loaded in.
(function () {
  var box = document.querySelector("[data-task-progress]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-task-progress");
  function field(name) {
    return box.querySelector('[data-task-field="' + name + '"]');
  }
  function show(p) {
    var bar = box.querySelector("progress");
    if (p.total) {
      bar.max = p.total;
      bar.value = p.done;
      field("counts").textContent =
        p.done + " / " + p.total + (p.percent === null ? "" : "（" + p.percent + "%）");
    }
    field("status_label").textContent = p.status_label;
    field("message").textContent = p.message || "—";
    var warning = field("warning");
    warning.textContent = p.warning;
    warning.hidden = !p.warning;
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) {
        return r.ok ? r.json() : null;
      })
      .then(function (p) {
        if (!p) {
          return;
        }
        show(p);
        if (p.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
// A choice that offers a default for another field (e.g. the legal basis of a reply's
// outcome): <select data-fills="id_target" data-fill-map='{"value": "default text"}'>. The
// target is filled only while it is empty or still holds the previous default, so nothing the
// user typed is overwritten.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("[data-fills]")) {
    return;
  }
  var target = document.getElementById(select.getAttribute("data-fills"));
  var map;
  try {
    map = JSON.parse(select.getAttribute("data-fill-map") || "{}");
  } catch (e) {
    return;
  }
  if (!target) {
    return;
  }
  var previous = select.getAttribute("data-filled") || "";
  if (target.value === "" || target.value === previous) {
    target.value = map[select.value] || "";
    select.setAttribute("data-filled", target.value);
  }
});
