// Counts this view and shows the count (beacon mode, docs/cdn-and-counting.md): the page may come from a CDN's
// cache, so one POST to the counting endpoint adds the view and answers the count, which replaces the cached one.
(function () {
  "use strict";
  var views = document.querySelector(".views[data-count-url]");
  if (!views || !window.fetch) {
    return;
  }
  // Behind the CDN the request reaches the counting function's URL signed by CloudFront (origin access control),
  // which must be told the body's SHA-256: this is the empty body's.
  var emptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  fetch(views.getAttribute("data-count-url"), {
    method: "POST",
    keepalive: true,
    credentials: "omit",
    headers: { "x-amz-content-sha256": emptyBodyHash },
  })
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
