// Reader pages' only script (CSP script-src 'self'): the article's print and close links, the
// page's address on printouts, and 关怀模式 (the elder-friendly mode, remembered in localStorage).
// Without it the page still works: 关闭 goes back to the list, the page shows at its normal size.
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
  care();
})();

// 关怀模式: text 1.5x / 2x, high contrast, an extra-large cursor, wider spacing, no motion, a strong focus
// (all CSS classes on <html>, templates/_care.css) and reading the page aloud with the Web Speech API.
function care() {
  "use strict";
  var KEY = "newsroom.care";
  var root = document.documentElement;
  var toggle = document.querySelector("[data-care]");
  var bar = document.getElementById("care-bar");
  if (!toggle || !bar) return;
  var state = { on: false, text: "", contrast: false };
  try {
    var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
    state.on = saved.on === true;
    state.text = saved.text === "15" || saved.text === "20" ? saved.text : "";
    state.contrast = saved.contrast === true;
  } catch (error) {
    // no storage, or a damaged entry: the mode starts off
  }
  var textButtons = bar.querySelectorAll("[data-care-text]");
  var contrast = bar.querySelector("[data-care-contrast]");
  var read = bar.querySelector("[data-care-read]");
  var status = bar.querySelector(".care-status");

  function apply() {
    root.classList.toggle("care", state.on);
    root.classList.toggle("care-15", state.on && state.text === "15");
    root.classList.toggle("care-20", state.on && state.text === "20");
    root.classList.toggle("care-contrast", state.on && state.contrast);
    toggle.setAttribute("aria-pressed", String(state.on));
    bar.hidden = !state.on;
    for (var i = 0; i < textButtons.length; i++) {
      textButtons[i].setAttribute("aria-pressed", String(textButtons[i].getAttribute("data-care-text") === state.text));
    }
    contrast.setAttribute("aria-pressed", String(state.contrast));
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (error) {
      // private mode without storage: the choice lasts for this page only
    }
  }

  toggle.addEventListener("click", function () {
    state.on = !state.on;
    if (!state.on) stopReading();
    apply();
  });
  for (var i = 0; i < textButtons.length; i++) {
    textButtons[i].addEventListener("click", function (event) {
      state.text = event.currentTarget.getAttribute("data-care-text");
      apply();
    });
  }
  contrast.addEventListener("click", function () {
    state.contrast = !state.contrast;
    apply();
  });
  read.addEventListener("click", function () { readAloud(read, status); });
  apply();
}

function stopReading() {
  if (window.speechSynthesis) window.speechSynthesis.cancel();
}

// Reads the page's main content in the page's language; says so when the browser has no such voice.
function readAloud(button, status) {
  "use strict";
  var speech = window.speechSynthesis;
  var label = button.getAttribute("data-label") || button.textContent;
  button.setAttribute("data-label", label);
  if (speech && speech.speaking) {
    speech.cancel();
    button.textContent = label;
    return;
  }
  var language = document.documentElement.lang || "zh-CN";
  var voices = speech ? speech.getVoices() : [];
  var voice = null;
  for (var i = 0; i < voices.length && !voice; i++) {
    if (voices[i].lang.replace("_", "-").toLowerCase() === language.toLowerCase()) voice = voices[i];
  }
  if (!voice) {
    status.textContent = button.getAttribute("data-no-voice");
    return;
  }
  var main = document.getElementById("content");
  var utterance = new window.SpeechSynthesisUtterance(main ? main.innerText : document.body.innerText);
  utterance.voice = voice;
  utterance.lang = language;
  utterance.onend = function () { button.textContent = label; };
  status.textContent = "";
  button.textContent = button.getAttribute("data-stop");
  speech.speak(utterance);
}
