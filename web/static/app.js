// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", function () {
  // The language selector submits itself; its button stays for keyboards without scripts.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    var btn = el.form && el.form.querySelector("button");
    if (btn) btn.classList.add("visually-hidden");
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // Copy buttons copy the text of the element they name.
  document.querySelectorAll("[data-copy]").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var src = document.getElementById(btn.getAttribute("data-copy"));
      if (!src || !navigator.clipboard) return;
      navigator.clipboard.writeText(src.value !== undefined ? src.value : src.textContent).then(function () {
        var done = btn.getAttribute("data-copied");
        if (done) btn.textContent = done;
      });
    });
  });
  // A checkbox that enables the fields of a fieldset (data-enables="id").
  document.querySelectorAll("[data-enables]").forEach(function (box) {
    var target = document.getElementById(box.getAttribute("data-enables"));
    if (!target) return;
    var sync = function () { target.disabled = !box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
  // Confirm destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
});
