/* Small browser helpers: full-screen charts, and the keys of meeting mode. */
(function () {
  "use strict";

  function resizePlots(root) {
    if (!window.Plotly) return;
    (root || document).querySelectorAll(".js-plotly-plot").forEach(function (el) {
      window.Plotly.Plots.resize(el);
    });
  }

  // "Full screen" button on every chart card.
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".fullscreen-button");
    if (!button) return;
    var card = document.getElementById(button.getAttribute("data-target"));
    if (!card) return;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (card.requestFullscreen) {
      card.requestFullscreen().then(function () { resizePlots(card); });
    }
  });
  document.addEventListener("fullscreenchange", function () {
    setTimeout(function () { resizePlots(); }, 50);
  });
  // Printing: redraw the charts at the page's width, and back afterwards.
  window.addEventListener("beforeprint", function () { resizePlots(); });
  window.addEventListener("afterprint", function () { resizePlots(); });
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function () { resizePlots(); });
  }

  // Meeting mode: the slide carries its neighbours' addresses; keys move between them
  // without reloading the page (Dash follows the browser history).
  function go(url) {
    if (!url) return;
    window.history.pushState({}, "", url);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }

  document.addEventListener("keydown", function (event) {
    var deck = document.querySelector("[data-presenter]");
    if (!deck || event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "select" || tag === "input" || tag === "textarea") return;
    var target = null;
    switch (event.key) {
      case "ArrowRight":
      case "PageDown":
      case " ":
        target = deck.getAttribute("data-next");
        break;
      case "ArrowLeft":
      case "PageUp":
        target = deck.getAttribute("data-prev");
        break;
      case "Home":
        target = deck.getAttribute("data-first");
        break;
      case "End":
        target = deck.getAttribute("data-last");
        break;
      case "Escape":
        if (document.fullscreenElement) document.exitFullscreen();
        target = deck.getAttribute("data-exit");
        break;
      case "f":
        if (document.fullscreenElement) {
          document.exitFullscreen();
        } else if (document.documentElement.requestFullscreen) {
          document.documentElement.requestFullscreen();
        }
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    go(target);
  });
})();

/* After "Apply filters" or "Clear" re-draws the page, put focus back on the button pressed,
   so a keyboard user is not sent back to the top. */
(function () {
  "use strict";
  var pending = null;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("#filter-apply, #filter-clear");
    if (button) pending = button.id;
  });
  var observer = new MutationObserver(function () {
    if (!pending) return;
    var again = document.getElementById(pending);
    if (again && again !== document.activeElement && document.activeElement === document.body) {
      again.focus();
      pending = null;
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
