// Entry and appraisal pages: save each leaf on change without reloading the page, keep what
// was typed when the server refuses it, and bring the running totals up to date.
//
// A save answers with the new revision only. The totals come from the page's totals URL
// ([data-totals]) once the saves have settled: one request after a burst of saves, marked
// aria-busy until it is answered, and only the answer to the latest request is applied.
//
// A save refused because a colleague saved the leaf first shows the server's conflict box:
// their value, who and when, next to ours. The form keeps the revision it was loaded with, so
// saving it again is refused again; only the box's "overwrite" saves over the newer revision,
// and its "keep" puts the stored value and revision into the form.
(function () {
  "use strict";

  // The texts in the page's language (templates/includes/_entry_texts.html); Vietnamese without.
  var TEXTS = (function () {
    var el = document.getElementById("entry-texts");
    try {
      return el ? JSON.parse(el.textContent) : {};
    } catch (e) {
      return {};
    }
  })();

  function t(key, fallback) {
    return TEXTS[key] || fallback;
  }

  function applyUpdates(updates) {
    Object.keys(updates || {}).forEach(function (selector) {
      document.querySelectorAll(selector).forEach(function (el) {
        el.textContent = updates[selector];
      });
    });
  }

  // Each saved leaf's history block ([data-history]) comes back with the totals: the count
  // and the list then say what a reload would.
  function applyHistories(histories) {
    Object.keys(histories || {}).forEach(function (code) {
      var box = document.querySelector('[data-history="' + CSS.escape(code) + '"]');
      if (!box) {
        return;
      }
      var open = box.querySelector("details[open]") !== null;
      box.innerHTML = histories[code];
      var details = box.querySelector("details");
      if (open && details) {
        details.open = true;
      }
    });
  }

  var TOTALS_DELAY = 500; // ms after the last save settles: a burst of saves asks once
  var totalsTimer = null;
  var totalsAsked = 0;
  var savedLeaves = {}; // codes of the leaves saved since their history was last brought

  function leafCode(form) {
    var leaf = form.closest(".leaf");
    return leaf ? leaf.id.replace(/^leaf-/, "") : "";
  }

  function refreshTotals() {
    var box = document.querySelector("[data-totals]");
    if (!box) {
      return;
    }
    box.setAttribute("aria-busy", "true");
    clearTimeout(totalsTimer);
    totalsTimer = setTimeout(function () {
      if (document.querySelector("form.leaf-form[data-saving]")) {
        refreshTotals(); // a save is still running: ask once it is done
        return;
      }
      var asked = ++totalsAsked;
      var codes = Object.keys(savedLeaves);
      var url = box.dataset.totals;
      if (codes.length) {
        url += (url.indexOf("?") < 0 ? "?" : "&") + "leaves=" + encodeURIComponent(codes.join(","));
      }
      fetch(url, {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (asked === totalsAsked && data) {
          applyUpdates(data.updates);
          applyHistories(data.histories);
          codes.forEach(function (code) {
            delete savedLeaves[code];
          });
          box.removeAttribute("aria-busy");
        }
      }).catch(function () {
        // The figures stay marked as not up to date; the next save asks again.
      });
    }, TOTALS_DELAY);
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
    var sent = valuesOf(form);
    send(form).finally(function () {
      delete form.dataset.saving;
      // A change made while saving is sent next; the same values are not sent twice in a row
      // (a "change" and a "submit" of one edit), refused or not.
      if (form.dataset.again) {
        delete form.dataset.again;
        if (valuesOf(form) !== sent) {
          save(form);
        }
      }
    });
  }

  function boxOf(form) {
    var next = form.nextElementSibling;
    return next && next.matches("[data-conflict]") ? next : null;
  }

  function showBox(form, html) {
    var old = boxOf(form);
    if (old) {
      old.remove();
    }
    form.insertAdjacentHTML("afterend", html);
  }

  function settled(form, text) {
    var box = boxOf(form);
    if (box) {
      box.remove();
    }
    form.querySelector(".field-error").textContent = "";
    form.closest(".leaf").classList.remove("has-error");
    form.querySelector(".save-status").textContent = text;
  }

  // Post a leaf's form as the page's script does (the server answers JSON); resolve to it.
  function postForm(form) {
    return fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json();
    });
  }

  function send(form) {
    var status = form.querySelector(".save-status");
    var error = form.querySelector(".field-error");
    var leaf = form.closest(".leaf");
    var values = valuesOf(form);
    status.textContent = t("saving", "Đang lưu…");
    return postForm(form).then(function (data) {
      if (data.ok) {
        form.querySelector('[name="revision"]').value = data.revision;
        form.dataset.saved = values;
        settled(form, t("savedAt", "Đã lưu lúc") + " " + data.saved_at);
        savedLeaves[leafCode(form)] = true;
        refreshTotals();
        return;
      }
      leaf.classList.add("has-error");
      status.textContent = t("notSaved", "Chưa lưu");
      error.textContent = data.error;
      if (data.conflict) {
        // The revision stays as loaded: nothing is overwritten until the person chooses.
        showBox(form, data.box);
      }
    }).catch(function () {
      status.textContent = t("offline", "Mất kết nối — chưa lưu, hãy thử lại.");
      leaf.classList.add("has-error");
    });
  }

  function formOf(box) {
    var form = box.previousElementSibling;
    return form && form.matches("form.leaf-form") ? form : null;
  }

  // "Giữ giá trị đã lưu": the stored value and its revision go into the form; nothing is sent.
  function keepStored(box, form) {
    var points = form.querySelectorAll('[name="points"]');
    points.forEach(function (input) {
      if (input.type === "radio") {
        input.checked = input.value === box.dataset.points;
      } else {
        input.value = box.dataset.points;
      }
    });
    var text = form.querySelector("textarea");
    if (text) {
      text.value = box.dataset.note;
    }
    var na = form.querySelector('[name="not_applicable"]');
    if (na) {
      na.checked = box.hasAttribute("data-not-applicable");
    }
    form.querySelector('[name="revision"]').value = box.dataset.revision;
    form.dataset.saved = valuesOf(form);
    settled(form, t("kept", "Đã giữ giá trị đã lưu"));
    refreshTotals(); // the colleague's value counts now
  }

  // "Ghi đè bằng giá trị của tôi": what the form holds, sent over the revision now seen.
  function overwrite(box, form) {
    form.querySelector('[name="revision"]').value = box.dataset.revision;
    box.remove();
    delete form.dataset.saved;
    save(form);
  }

  document.addEventListener("click", function (event) {
    var keep = event.target.closest("[data-conflict] [data-keep]");
    var box = keep && keep.closest("[data-conflict]");
    var form = box && formOf(box);
    if (form) {
      event.preventDefault();
      keepStored(box, form);
    }
  });

  document.addEventListener("submit", function (event) {
    var box = event.target.matches("[data-overwrite]") && event.target.closest("[data-conflict]");
    var form = box && formOf(box);
    if (form) {
      event.preventDefault();
      overwrite(box, form);
    }
  });

  // Evidence uploads: a refusal is shown at the leaf's upload field, in place; a stored file
  // reloads the page at its leaf (the list of files and the totals come from the server).
  function upload(form) {
    var error = form.querySelector(".field-error");
    var leaf = form.closest(".leaf");
    error.textContent = "";
    return postForm(form).then(function (data) {
      if (data.ok) {
        window.location.assign(data.url);
        window.location.reload();
        return;
      }
      leaf.classList.add("has-error");
      error.textContent = data.error;
      form.querySelector('[type="file"]').focus();
    }).catch(function () {
      error.textContent = t("uploadOffline", "Mất kết nối — chưa tải lên, hãy thử lại.");
      leaf.classList.add("has-error");
    });
  }

  document.querySelectorAll("form.upload").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      upload(form);
    });
  });

  document.querySelectorAll("form.leaf-form").forEach(function (form) {
    // A page that shows a refused save holds what was typed, not what is stored.
    if (!form.querySelector(".field-error").textContent) {
      form.dataset.saved = valuesOf(form);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save(form);
    });
    form.addEventListener("change", function () { save(form); });
  });
})();
