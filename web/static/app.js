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
  // White label settings: the preview follows the name, colour and logo as
  // they are typed or chosen, before anything is saved.
  var preview = document.querySelector("[data-brand-preview]");
  if (preview) brandPreview(preview);
  // Confirm destructive actions.
  document.querySelectorAll("form[data-confirm]").forEach(function (f) {
    f.addEventListener("submit", function (e) {
      if (!window.confirm(f.getAttribute("data-confirm"))) e.preventDefault();
    });
  });
});

// brandPreview wires the white label form to its preview. Colours go through
// CSS custom properties (element.style.setProperty is allowed by the CSP).
function brandPreview(preview) {
  var name = document.querySelector("[data-brand-name]");
  var text = document.querySelector("[data-brand-color]");
  var picker = document.querySelector("[data-brand-color-picker]");
  var file = document.querySelector("[data-brand-logo]");
  var nameOut = preview.querySelector("[data-preview-name]");
  var mark = preview.querySelector("[data-preview-mark]");
  var logo = preview.querySelector("[data-preview-logo]");
  var hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
  function full(c) {
    c = c.trim().toLowerCase();
    if (!hex.test(c)) return "";
    if (c.length === 4) c = "#" + c[1] + c[1] + c[2] + c[2] + c[3] + c[3];
    return c;
  }
  // The same rule as the server (branding.TextColorOn): the text colour that
  // contrasts more with the background.
  function luminance(c) {
    var l = [1, 3, 5].map(function (i) {
      var v = parseInt(c.substr(i, 2), 16) / 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  }
  function ratio(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  function textOn(c) { return ratio(c, "#ffffff") > ratio(c, "#111827") ? "#ffffff" : "#111827"; }
  function setColor(c) {
    c = full(c) || preview.getAttribute("data-default-color");
    preview.style.setProperty("--pv-brand", c);
    preview.style.setProperty("--pv-text", textOn(c));
  }
  function setName() {
    var n = (name && name.value.trim()) || preview.getAttribute("data-default-name");
    nameOut.textContent = n;
    if (mark) mark.textContent = n ? n.charAt(0).toUpperCase() : "";
  }
  if (name) name.addEventListener("input", setName);
  if (text) text.addEventListener("input", function () {
    var c = full(text.value);
    if (c && picker) picker.value = c;
    setColor(text.value);
  });
  if (picker) picker.addEventListener("input", function () {
    if (text) text.value = picker.value;
    setColor(picker.value);
  });
  if (file && logo && window.FileReader) file.addEventListener("change", function () {
    var f = file.files && file.files[0];
    if (!f || !/^image\/(png|jpeg|webp)$/.test(f.type)) return;
    var r = new FileReader();
    r.onload = function () {
      logo.src = r.result;
      logo.hidden = false;
      if (mark) mark.hidden = true;
    };
    r.readAsDataURL(f);
  });
  if (text) setColor(text.value);
  setName();
}
