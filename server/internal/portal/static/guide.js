// Scrolls the TV guide to the current time, so the programmes on now are in
// view rather than those at midnight, and says the times are local:
// portal.js rewrites every <time> (blocks, hours, the now marker) in the
// browser's time zone; here the blocks' tooltips follow, and the hint names
// the zone. Each page stays one UTC day, which the hint explains. The guide
// works without it, in UTC.
(function () {
  "use strict";
  var guide = document.getElementById("guide");
  if (!guide) { return; }
  var fmt = null;
  try {
    fmt = new Intl.DateTimeFormat(document.documentElement.lang || undefined,
      { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  } catch (e) {
    fmt = null;
  }
  if (fmt) {
    guide.querySelectorAll(".prog[data-from][data-to]").forEach(function (el) {
      var from = new Date(el.dataset.from), to = new Date(el.dataset.to);
      var title = el.getAttribute("title") || "";
      if (!isNaN(from) && !isNaN(to)) {
        el.setAttribute("title", fmt.format(from) + "–" + fmt.format(to) + title.slice(title.indexOf(" ")));
      }
    });
    var hint = document.getElementById("guide-hint");
    var zone = fmt.resolvedOptions().timeZone;
    if (hint && hint.dataset.local && zone) {
      hint.textContent = hint.dataset.local.replace("{zone}", zone);
    }
  }

  var marker = guide.querySelector(".g-head .g-now");
  var label = guide.querySelector(".g-head .g-chan");
  if (!marker) { return; }
  var offset = marker.getBoundingClientRect().left - guide.getBoundingClientRect().left;
  var reserved = label ? label.getBoundingClientRect().width : 0;
  guide.scrollLeft = Math.max(0, guide.scrollLeft + offset - reserved - 60);
})();
