/* Installable and offline (issue 13): registers the service worker (/sw.js, see
 * dualpower/web/pwa.py) and, on a page the worker served from its copy because the network is
 * down, shows the page's own notice (#offline-notice, in the reader's language) with the time the
 * copy was saved. Our own code, no build step; no words are written here. */
(function () {
  "use strict";
  var script = document.currentScript;
  var notice = document.getElementById("offline-notice");
  var savedAt = notice ? Number(notice.getAttribute("data-saved-at")) : 0;
  if (notice && savedAt) {
    var saved = new Date(savedAt);
    var lang = document.documentElement.lang || undefined;
    var when = saved.toDateString() === new Date().toDateString()
      ? saved.toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" })
      : saved.toLocaleString(lang, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
    notice.textContent = notice.textContent.replace("%(time)s", when);
    notice.hidden = false;
  }
  if (script && "serviceWorker" in navigator) {
    var register = function () {
      navigator.serviceWorker.register(script.getAttribute("data-service-worker"), { scope: "/" })
        .catch(function () { /* no worker (private window, old browser): pages still work online */ });
    };
    if (document.readyState === "complete") register(); else window.addEventListener("load", register);
  }
})();
