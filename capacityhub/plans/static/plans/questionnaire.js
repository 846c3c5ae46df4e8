/* Questionnaire pages: enhancement only. Without this script the page works the same: the server applies the
   skip logic and keeps the draft at every save. With it: questions are enabled or disabled (and hidden when
   the questionnaire says so) as you answer, exclusive options clear the others, and the draft is saved in the
   background a moment after each change. */
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form) { return; }
  var saved = {};
  try { saved = JSON.parse(form.getAttribute("data-answers") || "{}"); } catch (e) { saved = {}; }

  function currentAnswers() {
    var answers = Object.assign({}, saved);
    var fieldsets = form.querySelectorAll("fieldset[data-key]");
    fieldsets.forEach(function (fieldset) {
      var key = fieldset.getAttribute("data-key");
      var name = "q:" + key;
      var inputs = form.querySelectorAll('[name="' + CSS.escape(name) + '"]');
      if (!inputs.length) { return; }
      var values = [];
      inputs.forEach(function (input) {
        if (input.disabled) { return; }
        if ((input.type === "radio" || input.type === "checkbox")) {
          if (input.checked && input.value !== "") { values.push(input.value); }
        } else if (input.value.trim() !== "") {
          values.push(input.value.trim());
        }
      });
      answers[key] = values;
    });
    return answers;
  }

  function holds(condition, answers) {
    var given = answers[condition.question];
    if (given === undefined || given === null || given === "") { given = []; }
    if (!Array.isArray(given)) { given = [String(given)]; }
    var values = (condition.values || []).map(String);
    var op = condition.op || "any_of";
    if (op === "answered" || (op === "any_of" && !values.length)) { return given.length > 0; }
    if (op === "any_of") { return given.some(function (v) { return values.indexOf(String(v)) >= 0; }); }
    if (op === "other_than") { return given.some(function (v) { return values.indexOf(String(v)) < 0; }); }
    return false;
  }

  function apply() {
    for (var round = 0; round < 3; round++) {
      var answers = currentAnswers();
      form.querySelectorAll("fieldset[data-logic]").forEach(function (fieldset) {
        var logic = JSON.parse(fieldset.getAttribute("data-logic"));
        var enabled = logic.when.some(function (c) { return holds(c, answers); });
        fieldset.disabled = !enabled;
        fieldset.classList.toggle("not-applicable", !enabled);
        fieldset.classList.toggle("is-hidden", !enabled && logic.hide);
      });
    }
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type === "checkbox" && target.checked) {
      var group = form.querySelectorAll('input[type="checkbox"][name="' + CSS.escape(target.name) + '"]');
      group.forEach(function (box) {
        if (box !== target && (target.hasAttribute("data-exclusive") || box.hasAttribute("data-exclusive"))) {
          box.checked = false;
        }
      });
    }
    apply();
    scheduleSave();
  });

  /* Background save: the same POST as the Save button, answered in JSON. */
  var timer = null;
  var state = form.querySelector(".save-state");
  function scheduleSave() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 1500);
  }
  function save() {
    timer = null;
    if (!window.fetch || !window.FormData) { return; }
    var data = new FormData(form);
    data.set("go", "");
    if (state) { state.textContent = state.getAttribute("data-saving"); }
    fetch(form.getAttribute("action") || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Autosave": "1", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (result.ok) {
        form.querySelector('[name="base_revision"]').value = result.body.revision;
        if (state) { state.textContent = state.getAttribute("data-saved") + " " + result.body.time; }
      } else if (state) {
        state.textContent = result.body.message || "";
      }
    }).catch(function () { if (state) { state.textContent = ""; } });
  }

  form.addEventListener("submit", function () {
    if (timer) { clearTimeout(timer); timer = null; }
  });

  apply();
})();
