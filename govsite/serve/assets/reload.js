/* govsite serve: reload the page when a new build is ready (added by `govsite serve` only).
 * The page was served by build `build=` in this script's URL; the server announces every build
 * over Server-Sent Events. EventSource reconnects by itself; when the server was restarted or is
 * back after a pause, the build id differs and the page reloads. */
(function () {
  "use strict";
  var script = document.currentScript;
  var pageBuild = script ? new URL(script.src).searchParams.get("build") : null;
  var source = null;
  var retry = null;

  function connect() {
    retry = null;
    source = new EventSource("/__govsite/events");
    source.addEventListener("build", function (event) {
      var state;
      try { state = JSON.parse(event.data); } catch (e) { return; }
      if (pageBuild === null) { pageBuild = state.id; return; }
      if (state.id !== pageBuild) {
        source.close();
        window.location.reload();
      }
    });
    source.onerror = function () {
      // A browser gives up after some failures (readyState CLOSED): try again ourselves.
      if (source.readyState === EventSource.CLOSED && retry === null) {
        retry = window.setTimeout(connect, 1000);
      }
    };
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-govsite-close]") : null;
    if (button) {
      var overlay = document.getElementById("govsite-overlay");
      if (overlay) { overlay.hidden = true; }
    }
  });
  connect();
}());
