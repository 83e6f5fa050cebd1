// The job page: ask for the job's progress every second; reload when it has finished.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) return;
  var bar = document.getElementById("job-bar");
  var status = document.getElementById("job-status");
  var step = document.getElementById("job-step");
  var waiting = document.getElementById("job-waiting");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (note) {
        if (!note) { window.setTimeout(poll, 3000); return; }
        if (note.finished) { window.location.reload(); return; }
        status.textContent = note.status_label;
        if (note.percent === null) { bar.removeAttribute("value"); }
        else { bar.value = note.percent; }
        step.textContent = note.label
          ? "— " + note.label + (note.percent === null ? "" : " (" + note.percent + "%)")
          : "";
        waiting.textContent = note.waiting;
        waiting.hidden = !note.waiting;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
