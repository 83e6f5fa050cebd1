// Entry and appraisal pages: save each leaf on change without reloading the page, keep what
// was typed when the server refuses it, and apply the totals the server sends back.
(function () {
  "use strict";

  function applyUpdates(updates) {
    Object.keys(updates || {}).forEach(function (selector) {
      document.querySelectorAll(selector).forEach(function (el) {
        el.textContent = updates[selector];
      });
    });
  }

  // What the form holds apart from its bookkeeping fields: saving the same values twice is
  // skipped, and saves of one form run one after another so each carries the latest revision.
  function valuesOf(form) {
    var data = new FormData(form);
    data.delete("revision");
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }

  function save(form) {
    if (form.dataset.saving) {
      form.dataset.again = "1";
      return;
    }
    if (valuesOf(form) === form.dataset.saved) {
      return;
    }
    form.dataset.saving = "1";
    send(form).finally(function () {
      delete form.dataset.saving;
      if (form.dataset.again) {
        delete form.dataset.again;
        save(form);
      }
    });
  }

  function send(form) {
    var status = form.querySelector(".save-status");
    var error = form.querySelector(".field-error");
    var leaf = form.closest(".leaf");
    var values = valuesOf(form);
    status.textContent = "Đang lưu…";
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      if (data.ok) {
        form.querySelector('[name="revision"]').value = data.revision;
        form.dataset.saved = values;
        error.textContent = "";
        leaf.classList.remove("has-error");
        status.textContent = "Đã lưu lúc " + data.saved_at;
        applyUpdates(data.updates);
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
    form.dataset.saved = valuesOf(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
    form.addEventListener("change", function () { save(form); });
  });
})();
