// Steps that cannot be undone: a form carrying data-confirm (the {% confirm_attrs %} tag) asks
// in the page's <dialog> what the server would ask as a page, then is sent with confirmed=1.
// Without this script (or without <dialog>) the server's confirmation page asks instead.
(function () {
  "use strict";

  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var pending = null;

  function fill(form) {
    var data = form.dataset;
    var texts = {
      question: data.confirm,
      subject: data.confirmSubject || "",
      effect: data.confirmEffect || "",
      audience: data.confirmAudience || "",
      button: data.confirmButton || data.confirm,
    };
    Object.keys(texts).forEach(function (slot) {
      var el = dialog.querySelector('[data-slot="' + slot + '"]');
      el.textContent = texts[slot];
      el.hidden = !texts[slot];
    });
  }

  function send(form, submitter) {
    var confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirmed";
    confirmed.value = "1";
    form.appendChild(confirmed);
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    } else {
      form.submit();
    }
    // The data to send is already taken: coming back to the page must ask again.
    confirmed.remove();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-confirm]") || form.querySelector('input[name="confirmed"]')) {
      return;
    }
    event.preventDefault();
    pending = { form: form, submitter: event.submitter };
    fill(form);
    dialog.returnValue = "";
    dialog.showModal();
  });

  dialog.addEventListener("close", function () {
    var asked = pending;
    pending = null;
    if (asked && dialog.returnValue === "confirm") {
      send(asked.form, asked.submitter);
    }
  });
})();
