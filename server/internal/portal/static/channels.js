// Hides a channel's initial badge once its logo has loaded, and drops a
// logo that fails to load so the badge shows. Without it the badge sits
// behind the logo.
(function () {
  "use strict";
  document.querySelectorAll(".logo img").forEach(function (img) {
    function loaded() { img.parentNode.classList.add("loaded"); }
    if (img.complete && img.naturalWidth > 0) { loaded(); return; }
    img.addEventListener("load", loaded);
    img.addEventListener("error", function () { img.remove(); });
  });
})();
