// Self-assessment entry page: save each leaf on change without reloading the page, keep what
// the officer typed when the server refuses it, and update the running totals.
(function () {
  "use strict";

  function setText(selector, text) {
    document.querySelectorAll(selector).forEach(function (el) { el.textContent = text; });
  }

  function updateProgress(progress) {
    setText("[data-total]", progress.self_points);
    setText("[data-scored]", String(progress.scored));
    Object.keys(progress.areas).forEach(function (code) {
      var area = progress.areas[code];
      document.querySelectorAll('[data-area="' + code + '"]').forEach(function (el) {
        var max = el.textContent.split("/")[1].split("·")[0].trim();
        el.textContent = area.self_points + "/" + max + " · " + area.scored + "/" + area.leaves;
      });
    });
  }

  function save(form) {
    var status = form.querySelector(".save-status");
    var error = form.querySelector(".field-error");
    var leaf = form.closest(".leaf");
    status.textContent = "Đang lưu…";
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      var data = result.data;
      if (data.ok) {
        form.querySelector('[name="revision"]').value = data.revision;
        error.textContent = "";
        leaf.classList.remove("has-error");
        status.textContent = "Đã lưu lúc " + data.saved_at;
        updateProgress(data.progress);
        return;
      }
      leaf.classList.add("has-error");
      status.textContent = "Chưa lưu";
      var message = data.error;
      if (data.conflict) {
        // Accept the newer revision so that saving again is a deliberate overwrite.
        form.querySelector('[name="revision"]').value = data.revision;
        message += " Giá trị đang lưu: " + (data.their_points === null ? "—" : data.their_points) +
          (data.their_note ? " — “" + data.their_note + "”" : "") + ".";
      }
      error.textContent = message;
    }).catch(function () {
      status.textContent = "Mất kết nối — chưa lưu, hãy thử lại.";
      leaf.classList.add("has-error");
    });
  }

  document.querySelectorAll("form.leaf-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
    form.addEventListener("change", function () { save(form); });
  });
})();
