// Confirmations (django messages) are rendered as visible Bootstrap toasts, so they work without
// JavaScript; here the quiet ones hide themselves after a while. Errors and warnings carry
// data-bs-autohide="false" and stay until closed.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.bootstrap) {
      return;
    }
    document.querySelectorAll(".messages .toast").forEach(function (element) {
      window.bootstrap.Toast.getOrCreateInstance(element, { delay: 8000 }).show();
    });
  });
})();
