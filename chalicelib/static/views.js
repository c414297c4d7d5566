// Counts this view and shows the count (beacon mode, README "CDN and counting"): the page may come from a CDN's
// cache, so one POST to the counting endpoint adds the view and answers the count, which replaces the cached one.
(function () {
  "use strict";
  var views = document.querySelector(".views[data-count-url]");
  if (!views || !window.fetch) {
    return;
  }
  fetch(views.getAttribute("data-count-url"), { method: "POST", keepalive: true, credentials: "omit" })
    .then(function (response) {
      return response.ok ? response.json() : null;
    })
    .then(function (answer) {
      if (answer && typeof answer.views === "number") {
        views.textContent = String(answer.views);
        views.setAttribute("data-counted", "true");
      }
    })
    .catch(function () {});
})();
