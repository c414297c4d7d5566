// Reader pages' only script (CSP script-src 'self'): the article's print and close links, the
// page's address on printouts, 关怀模式 (the elder-friendly mode, remembered in localStorage) and the
// home page's carousel. Without it the page still works: 关闭 goes back to the list, the page shows at
// its normal size, the carousel's photos are a plain list.
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
  carousel(document.querySelector("[data-carousel]"));
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

// The home page's 幻灯: one slide at a time with 上一张/下一张 and a 暂停 button (WCAG 2.2.2). It turns by
// itself every ROTATE_MS only while nobody has paused it, the pointer and the keyboard focus are elsewhere,
// the reader has not asked for reduced motion and 关怀模式 is off (then it never moves by itself).
function carousel(box) {
  "use strict";
  var ROTATE_MS = 5000;
  if (!box) return;
  var list = box.querySelector(".headlines");
  var slides = list ? list.children : [];
  if (slides.length < 2) return;
  var reduced = window.matchMedia ? window.matchMedia("(prefers-reduced-motion: reduce)") : { matches: false };
  var state = { index: 0, paused: false, hovered: false, focused: false, timer: null };
  var controls = document.createElement("div");
  controls.className = "carousel-controls";
  function control(label) {
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = label;
    button.setAttribute("aria-controls", list.id);
    controls.appendChild(button);
    return button;
  }
  var pause = control(box.getAttribute("data-pause"));
  var previous = control(box.getAttribute("data-previous"));
  var next = control(box.getAttribute("data-next"));
  var count = document.createElement("span");
  count.className = "count";
  controls.appendChild(count);
  box.insertBefore(controls, list);
  box.classList.add("rotating");

  function still() {
    return reduced.matches || document.documentElement.classList.contains("care");
  }
  function show(index) {
    state.index = (index + slides.length) % slides.length;
    for (var i = 0; i < slides.length; i++) {
      slides[i].hidden = i !== state.index;
    }
    count.textContent = box.getAttribute("data-slide").replace("{n}", state.index + 1).replace("{total}", slides.length);
  }
  function schedule() {
    clearTimeout(state.timer);
    var turning = !state.paused && !state.hovered && !state.focused && !still();
    pause.hidden = still();
    pause.textContent = box.getAttribute(state.paused ? "data-play" : "data-pause");
    box.setAttribute("data-turning", String(turning));
    list.setAttribute("aria-live", turning ? "off" : "polite");
    if (turning) state.timer = setTimeout(function () { show(state.index + 1); schedule(); }, ROTATE_MS);
  }
  function on(target, event, change) {
    target.addEventListener(event, function (happened) { change(happened); schedule(); });
  }
  on(pause, "click", function () { state.paused = !state.paused; });
  on(previous, "click", function () { show(state.index - 1); });
  on(next, "click", function () { show(state.index + 1); });
  on(box, "mouseenter", function () { state.hovered = true; });
  on(box, "mouseleave", function () { state.hovered = false; });
  on(box, "focusin", function () { state.focused = true; });
  on(box, "focusout", function (event) { state.focused = box.contains(event.relatedTarget); });
  if (reduced.addEventListener) on(reduced, "change", function () {});
  var toggle = document.querySelector("[data-care]");
  if (toggle) on(toggle, "click", function () {});
  show(0);
  schedule();
}
