// Optional: shows every <time datetime> in the browser's own time zone. The server writes UTC and says so
// ("1 Dec 2026, 16:20 UTC"); without this script the page reads just as correctly. The UTC words stay in the
// title, so hovering a time still shows the instant the server wrote.
(function () {
  "use strict";
  var lang = document.documentElement.lang || undefined;
  var withClock = new Intl.DateTimeFormat(lang, {
    day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  });
  var dayOnly = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", year: "numeric" });

  function localise(el) {
    var at = new Date(el.getAttribute("datetime"));
    if (isNaN(at.getTime()) || el.dataset.localTime) {
      return;
    }
    var utcWords = el.textContent;
    // A bare day ("1 Dec 2026", no clock time) stays a day: only words with an hour are moved to the local zone.
    el.textContent = /\d:\d\d/.test(utcWords) ? withClock.format(at) : dayOnly.format(at);
    if (!el.title) {
      el.title = utcWords;
    }
    el.dataset.localTime = "yes";
  }

  function run() {
    Array.prototype.forEach.call(document.querySelectorAll("time[datetime]"), localise);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
