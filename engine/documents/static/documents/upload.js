// Upload forms of the documents panel: send with XMLHttpRequest to show progress, then follow
// the server's answer (the page it redirects to, with its message). Without JavaScript the
// form posts as usual.
(function () {
  "use strict";
  function wire(form) {
    if (form.dataset.wired) { return; }
    form.dataset.wired = "1";
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || !window.XMLHttpRequest || !window.FormData) { return; }
      event.preventDefault();
      var bar = form.querySelector("progress");
      var status = form.querySelector(".zy-upload-status");
      var button = form.querySelector("button[type=submit]");
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (bar && e.lengthComputable) {
          bar.hidden = false;
          bar.value = Math.round((e.loaded / e.total) * 100);
          if (status) { status.textContent = bar.value + "%"; }
        }
      });
      xhr.addEventListener("load", function () {
        window.location.assign(xhr.responseURL || window.location.href);
      });
      xhr.addEventListener("error", function () {
        if (button) { button.disabled = false; }
        form.submit();
      });
      if (button) { button.disabled = true; }
      if (bar) { bar.hidden = false; bar.value = 0; }
      xhr.send(new FormData(form));
    });
  }
  document.querySelectorAll("form.zy-upload").forEach(wire);
})();
