// A form with data-confirm asks before it is sent (the content security policy forbids
// inline onsubmit handlers).
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
}, true);
