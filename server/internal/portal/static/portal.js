// portal.js: what the portal's pages do better with a script, each still
// usable without one. Times become the browser's local time in the page's
// language; links on the Playlists page get copy buttons.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;

  // <time datetime="…Z"> in UTC, rewritten in the browser's time zone;
  // data-fmt="time" (the TV guide) keeps only the 24-hour time.
  var fmt, timeFmt;
  try {
    fmt = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" });
    timeFmt = new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  } catch (e) {
    fmt = null;
  }
  if (fmt) {
    document.querySelectorAll("time[datetime]").forEach(function (el) {
      var d = new Date(el.getAttribute("datetime"));
      if (!isNaN(d)) {
        el.title = el.textContent;
        el.textContent = (el.dataset.fmt === "time" ? timeFmt : fmt).format(d);
      }
    });
  }

  // Copy buttons: the Clipboard API where the page is a secure context,
  // else the old execCommand, else the link is selected for Ctrl+C.
  var status = document.getElementById("copy-status");
  function say(text) {
    if (status) {
      status.textContent = "";
      status.textContent = text;
    }
  }
  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  function fallback(el, button) {
    select(el);
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    done(button, ok);
  }
  function done(button, ok) {
    var text = ok ? status.dataset.copied : status.dataset.select;
    say(text);
    if (ok) {
      var label = button.textContent;
      button.textContent = text;
      button.dataset.copied = "true";
      setTimeout(function () {
        button.textContent = label;
        delete button.dataset.copied;
      }, 2000);
    }
  }
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var target = document.getElementById(button.dataset.copy);
    if (!target || !status) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = target.textContent.trim();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () {
          done(button, true);
        }, function () {
          fallback(target, button);
        });
      } else {
        fallback(target, button);
      }
    });
  });
})();
