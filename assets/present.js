/* Meeting mode's keys, slide list, blank screen and presenter view (pages/present.py).

   The audience window is #presenter[data-presenter]: it carries its neighbours' addresses and the list of
   slides (data-slides), and moves without reloading the page (Dash follows the browser history).
   The presenter view is #presenter[data-presenter-of]: a second window that shows the current and next
   slide, the notes and the time. The two keep in step through a BroadcastChannel, in the browser, with
   no round trip to the server. */
(function () {
  "use strict";
  var CHANNEL = "spr-meeting-mode";
  var channel = window.BroadcastChannel ? new BroadcastChannel(CHANNEL) : null;

  function audience() { return document.querySelector("#presenter[data-presenter]"); }
  function presenterView() { return document.querySelector("#presenter[data-presenter-of]"); }
  function slidesOf(el) {
    try { return JSON.parse(el.getAttribute("data-slides") || "[]"); } catch (e) { return []; }
  }

  function go(url) {
    if (!url) return;
    window.history.pushState({}, "", url);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }

  function toggleFullScreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen();
    }
  }

  /* --- The list of slides (G) --- */
  function openList(deck) {
    var dialog = document.getElementById("presenter-list");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.id = "presenter-list";
      dialog.className = "presenter-list";
      dialog.setAttribute("aria-labelledby", "presenter-list-title");
      document.body.appendChild(dialog);
      dialog.addEventListener("click", function (event) {
        var link = event.target.closest("a[data-url]");
        if (link) {
          event.preventDefault();
          dialog.close();
          go(link.getAttribute("data-url"));
        } else if (event.target.closest(".presenter-list-close")) {
          dialog.close();
        }
      });
    }
    var current = deck.getAttribute("data-presenter");
    var items = slidesOf(deck).map(function (s, i) {
      var here = s.id === current ? ' aria-current="page"' : "";
      return '<li><a href="' + s.url + '" data-url="' + s.url + '"' + here + ">" + (i + 1) + ". " +
        s.title.replace(/&/g, "&amp;").replace(/</g, "&lt;") + "</a></li>";
    });
    dialog.innerHTML = '<h2 id="presenter-list-title">Slides</h2><ol>' + items.join("") + "</ol>" +
      '<button type="button" class="presenter-button presenter-list-close">Close (Esc)</button>';
    dialog.showModal();
    var here = dialog.querySelector("a[aria-current]") || dialog.querySelector("a");
    if (here) { here.focus(); here.scrollIntoView({ block: "center" }); }
  }

  /* --- The black screen (B) --- */
  function blankScreen() { return document.getElementById("presenter-blank-screen"); }
  function toggleBlank() {
    var blank = blankScreen();
    if (!blank) {
      blank = document.createElement("div");
      blank.id = "presenter-blank-screen";
      blank.className = "presenter-blank-screen";
      blank.setAttribute("role", "presentation");
      blank.hidden = true;
      document.body.appendChild(blank);
    }
    blank.hidden = !blank.hidden;
  }

  function openPresenterView(deck) {
    window.open(deck.getAttribute("data-presenter-view"), "spr-presenter-view", "popup,width=1100,height=760");
  }

  /* --- Keys --- */
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "select" || tag === "input" || tag === "textarea") return;
    var list = document.getElementById("presenter-list");
    if (list && list.open) return; // the dialog handles its own keys (Esc closes it)
    var deck = audience();
    var view = presenterView();
    var shade = blankScreen();
    if (shade && !shade.hidden && !deck) shade.hidden = true; // left meeting mode while blank
    if (!deck && !view) return;
    var key = event.key;
    if (view) {
      if (key === "ArrowRight" || key === "PageDown" || key === " ") viewMove(view, 1);
      else if (key === "ArrowLeft" || key === "PageUp") viewMove(view, -1);
      else if (key === "Home") viewMove(view, -Infinity);
      else if (key === "End") viewMove(view, Infinity);
      else return;
      event.preventDefault();
      return;
    }
    var blank = blankScreen();
    if (blank && !blank.hidden && key !== "b" && key !== "B") {
      blank.hidden = true; // any key brings the slide back, as in PowerPoint
      event.preventDefault();
      return;
    }
    var target = null;
    switch (key) {
      case "ArrowRight": case "PageDown": case " ": target = deck.getAttribute("data-next"); break;
      case "ArrowLeft": case "PageUp": target = deck.getAttribute("data-prev"); break;
      case "Home": target = deck.getAttribute("data-first"); break;
      case "End": target = deck.getAttribute("data-last"); break;
      case "Escape":
        if (document.fullscreenElement) document.exitFullscreen();
        target = deck.getAttribute("data-exit");
        break;
      case "f": case "F": toggleFullScreen(); event.preventDefault(); return;
      case "b": case "B": case ".": toggleBlank(); event.preventDefault(); return;
      case "g": case "G": openList(deck); event.preventDefault(); return;
      case "p": case "P": openPresenterView(deck); event.preventDefault(); return;
      case "l": case "L": target = deck.getAttribute("data-theme"); break;
      default: return;
    }
    event.preventDefault();
    go(target);
  });

  document.addEventListener("click", function (event) {
    var deck = audience();
    if (!deck) return;
    if (event.target.closest(".presenter-open-list")) { event.preventDefault(); openList(deck); }
    if (event.target.closest(".presenter-open-view")) { event.preventDefault(); openPresenterView(deck); }
  });

  /* --- Keeping the two windows in step --- */
  var lastSaid = null;
  function sayWhere() {
    var deck = audience();
    if (!deck || !channel) return;
    var id = deck.getAttribute("data-presenter");
    if (id === lastSaid) return;
    lastSaid = id;
    channel.postMessage({ type: "at", id: id });
  }

  function viewShow(view, index) {
    var slides = slidesOf(view);
    if (!slides.length) return;
    index = Math.max(0, Math.min(slides.length - 1, index));
    view.setAttribute("data-index", String(index));
    view.querySelector(".pv-where").textContent = "Slide " + (index + 1) + " of " + slides.length;
    view.querySelector(".pv-current").textContent = slides[index].title;
    view.querySelector(".pv-next").textContent = index + 1 < slides.length ? slides[index + 1].title : "End of the slides";
    view.querySelector(".pv-notes").textContent = slides[index].notes;
    return slides[index];
  }

  function viewMove(view, by) {
    var slides = slidesOf(view);
    var now = parseInt(view.getAttribute("data-index") || "0", 10);
    var next = by === Infinity ? slides.length - 1 : by === -Infinity ? 0 : now + by;
    var shown = viewShow(view, next);
    if (shown && channel) channel.postMessage({ type: "go", id: shown.id });
  }

  if (channel) {
    channel.onmessage = function (message) {
      var data = message.data || {};
      var view = presenterView();
      var deck = audience();
      if (data.type === "at" && view) {
        var slides = slidesOf(view);
        var i = slides.findIndex(function (s) { return s.id === data.id; });
        if (i >= 0) viewShow(view, i);
      } else if (data.type === "go" && deck) {
        var found = slidesOf(deck).find(function (s) { return s.id === data.id; });
        if (found && found.id !== deck.getAttribute("data-presenter")) go(found.url);
      } else if (data.type === "hello" && deck) {
        lastSaid = null;
        sayWhere();
      }
    };
  }

  document.addEventListener("click", function (event) {
    var view = presenterView();
    if (!view) return;
    if (event.target.closest(".pv-prev")) viewMove(view, -1);
    if (event.target.closest(".pv-nextbtn")) viewMove(view, 1);
  });

  /* The presenter view's clock, and the time since it opened. */
  var opened = null;
  setInterval(function () {
    var view = presenterView();
    if (!view) { opened = null; return; }
    if (opened === null) {
      opened = Date.now();
      if (channel) channel.postMessage({ type: "hello" });
    }
    var seconds = Math.floor((Date.now() - opened) / 1000);
    var elapsed = view.querySelector(".pv-elapsed");
    if (elapsed) elapsed.textContent = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    var clock = view.querySelector(".pv-clock");
    if (clock) clock.textContent = new Date().toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }, 1000);

  var observer = new MutationObserver(function () {
    var shade = blankScreen();
    if (shade && !shade.hidden && !audience()) shade.hidden = true; // never left over a page
    sayWhere();
  });
  document.addEventListener("DOMContentLoaded", function () {
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-presenter"] });
    sayWhere();
  });
})();
