// Progressive enhancement of the initiative form: while it is filled in, ask the server which existing
// initiatives the new one may duplicate, and show them in the form (the "Check" button does the same
// without JavaScript). Reads data-check-url from the [data-coordination-check] element.
(function () {
  "use strict";
  var box = document.querySelector("[data-coordination-check]");
  if (!box || !window.fetch || !window.FormData) { return; }
  var form = box.closest("form");
  var url = box.getAttribute("data-check-url");
  var target = box.querySelector("[data-check-results]");
  if (!form || !url || !target) { return; }
  var timer = null;
  var last = "";
  function check() {
    var data = new FormData(form);
    var body = new URLSearchParams();
    data.forEach(function (value, key) { if (typeof value === "string") { body.append(key, value); } });
    var key = body.toString();
    if (key === last) { return; }
    last = key;
    fetch(url + "?fragment=1", {method: "POST", body: body, credentials: "same-origin",
      headers: {"X-CSRFToken": data.get("csrfmiddlewaretoken") || ""}})
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) { if (html) { target.innerHTML = html; } })
      .catch(function () {});
  }
  function later() { window.clearTimeout(timer); timer = window.setTimeout(check, 600); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
