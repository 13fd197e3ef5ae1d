// Scrolls the TV guide to the current time, so the programmes on now are in
// view rather than those at midnight. The guide works without it.
(function () {
  "use strict";
  var guide = document.getElementById("guide");
  var marker = guide && guide.querySelector(".g-head .g-now");
  var label = guide && guide.querySelector(".g-head .g-chan");
  if (!marker) { return; }
  var offset = marker.getBoundingClientRect().left - guide.getBoundingClientRect().left;
  var reserved = label ? label.getBoundingClientRect().width : 0;
  guide.scrollLeft = Math.max(0, guide.scrollLeft + offset - reserved - 60);
})();
