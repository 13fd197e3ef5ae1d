// Plays the video of #player through hls.js (or natively on Safari). The
// source is the balancer URL with the subscriber's token, set by the server.
//
// A fatal error becomes a plain-language message with a Retry button; the
// messages come from #player-box's data-msg-* attributes, which the server
// writes in the subscriber's language. The page says "Playing." and reports
// the channel as watched (POST /recent) only once the video has actually
// advanced, so a play that failed never counts as watched; when it gives
// up, it asks the server to end its sessions (POST /player/gave-up).
// window.playerErrors collects hls.js's fatal error details for tests.
(function () {
  "use strict";
  var video = document.getElementById("player");
  var box = document.getElementById("player-box");
  var status = document.getElementById("player-status");
  var errorBox = document.getElementById("player-error");
  var message = document.getElementById("player-message");
  var retry = document.getElementById("player-retry");
  if (!video || !box) { return; }
  var src = video.getAttribute("data-src");
  var hls = null;
  var recorded = false;
  var startedAt = null; // currentTime when the video last began playing
  var mediaRecoveries = 0;
  window.playerErrors = [];

  function msg(name) { return box.getAttribute("data-msg-" + name) || ""; }
  function say(text) { if (status) { status.textContent = text; } }
  function setState(state) { box.setAttribute("data-state", state); }

  function fail(kind) {
    setState("error");
    if (message) { message.textContent = msg(kind); }
    if (errorBox) { errorBox.hidden = false; }
    say(msg(kind));
    gaveUp();
  }

  // gaveUp tells the server this player stopped trying, so the sessions
  // the edge opened for it stop showing as "Watching now".
  function gaveUp() {
    var channel = video.getAttribute("data-record");
    if (!channel) { return; }
    var body = new URLSearchParams();
    body.set("channel", channel);
    body.set("since", video.getAttribute("data-since") || "0");
    body.set("csrf", video.getAttribute("data-csrf") || "");
    fetch("/player/gave-up", { method: "POST", body: body, credentials: "same-origin", keepalive: true })
      .catch(function () {});
  }

  // record tells the server the channel was watched, once per page.
  function record() {
    var channel = video.getAttribute("data-record");
    if (recorded || !channel) { return; }
    recorded = true;
    var body = new URLSearchParams();
    body.set("channel", channel);
    body.set("csrf", video.getAttribute("data-csrf") || "");
    fetch("/recent", { method: "POST", body: body, credentials: "same-origin" }).catch(function () {});
  }

  // Live streams start far from 0, and hls.js seeks before playing, so
  // "plays" means currentTime advanced half a second past where the
  // video began playing.
  video.addEventListener("playing", function () {
    if (startedAt === null) { startedAt = video.currentTime; }
  });
  video.addEventListener("timeupdate", function () {
    if (startedAt !== null && video.currentTime - startedAt > 0.5 && box.getAttribute("data-state") !== "playing") {
      setState("playing");
      say(msg("playing"));
      record();
    }
  });

  // kindOf turns an hls.js error into one of the messages: the edge refused
  // the token, the stream is not there, the network failed, or the browser
  // could not decode it.
  function kindOf(data) {
    var code = (data.response && data.response.code) || (data.networkDetails && data.networkDetails.status);
    if (data.type === window.Hls.ErrorTypes.NETWORK_ERROR) {
      if (code === 401 || code === 403) { return "forbidden"; }
      if (code === 404 || code === 410 || code >= 500) { return "offline"; }
      return "network";
    }
    if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR) { return "media"; }
    return "other";
  }

  function start() {
    setState("loading");
    startedAt = null;
    if (errorBox) { errorBox.hidden = true; }
    if (window.Hls && window.Hls.isSupported()) {
      hls = new window.Hls({ liveDurationInfinity: true });
      hls.on(window.Hls.Events.ERROR, function (_, data) {
        if (!data.fatal) { return; }
        window.playerErrors.push(data.details);
        if (data.type === window.Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 1) {
          mediaRecoveries++;
          hls.recoverMediaError();
          return;
        }
        hls.destroy();
        hls = null;
        fail(kindOf(data));
      });
      hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
        video.muted = true;
        video.play().catch(function () { say(msg("press-play")); });
      });
      hls.loadSource(src);
      hls.attachMedia(video);
    } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
      video.src = src;
      video.play().catch(function () { say(msg("press-play")); });
    } else {
      fail("unsupported");
      if (retry) { retry.hidden = true; }
    }
  }

  video.addEventListener("error", function () {
    if (!hls && box.getAttribute("data-state") !== "error") { fail("network"); }
  });
  if (retry) {
    retry.addEventListener("click", function () {
      if (hls) { hls.destroy(); hls = null; }
      mediaRecoveries = 0;
      say(msg("loading"));
      start();
    });
  }
  start();
})();
