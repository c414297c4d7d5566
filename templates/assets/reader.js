// Reader pages' only script (CSP script-src 'self'): the article's print and close links, and the
// page's address on printouts. Without it the page still works: 关闭 goes back to the list.
(function () {
  "use strict";
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function (event) {
      event.preventDefault();
      window.print();
    });
  }
  var close = document.querySelector("[data-close]");
  if (close) {
    close.addEventListener("click", function (event) {
      // A tab opened from a list has no history of its own: close it. Otherwise follow the link.
      if (window.history.length <= 1) {
        event.preventDefault();
        window.close();
        setTimeout(function () { window.location.href = close.href; }, 200);
      }
    });
  }
  var address = document.querySelector("[data-print-url]");
  if (address) {
    address.textContent = window.location.href + " · " + address.textContent;
  }
})();
