// Plays the channel of #player through hls.js (or natively on Safari). The
// source is the balancer URL with the subscriber's token, set by the server.
// window.playerErrors collects fatal errors for tests and the status line.
(function () {
  "use strict";
  var video = document.getElementById("player");
  var status = document.getElementById("player-status");
  if (!video) { return; }
  var src = video.getAttribute("data-src");
  window.playerErrors = [];
  function say(text) { if (status) { status.textContent = text; } }
  video.addEventListener("playing", function () { say("Playing."); });
  if (window.Hls && window.Hls.isSupported()) {
    var hls = new window.Hls({ liveDurationInfinity: true });
    hls.on(window.Hls.Events.ERROR, function (_, data) {
      if (data.fatal) {
        window.playerErrors.push(data.details);
        say("The stream could not be played (" + data.details + "). If you reset your token, reload this page.");
      }
    });
    hls.loadSource(src);
    hls.attachMedia(video);
    hls.on(window.Hls.Events.MANIFEST_PARSED, function () {
      video.muted = true;
      video.play().catch(function () { say("Press play to start."); });
    });
  } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
    video.src = src;
  } else {
    say("This browser cannot play HLS. Use the playlists page with VLC or Kodi instead.");
  }
})();
