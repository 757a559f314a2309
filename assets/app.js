/* Small browser helpers: full-screen charts, and charts redrawn for print. Meeting mode: present.js. */
(function () {
  "use strict";

  function resizePlots(root) {
    if (!window.Plotly) return;
    (root || document).querySelectorAll(".js-plotly-plot").forEach(function (el) {
      window.Plotly.Plots.resize(el);
    });
  }

  // Printing: every chart is drawn at the A4 page's width (210 mm less two 15 mm margins = 180 mm, 680 CSS
  // px), whatever the window's width, so a printed page is the same from any screen.
  var PRINT_WIDTH = 680;
  var FIT_PRINT_HEIGHT = 360; // as .graph-fit on a narrow screen (assets/app.css)
  var printing = false;

  function drawForPrint() {
    if (!window.Plotly || printing) return;
    printing = true;
    document.querySelectorAll(".chart-grid .js-plotly-plot").forEach(function (el) {
      // A figure drawn to its card's height on screen has the whole-width height on paper.
      var fit = el.closest(".graph-fit");
      window.Plotly.relayout(el, fit ? { width: PRINT_WIDTH, height: FIT_PRINT_HEIGHT } : { width: PRINT_WIDTH });
    });
  }

  function drawForScreen() {
    if (!window.Plotly || !printing) return;
    printing = false;
    document.querySelectorAll(".chart-grid .js-plotly-plot").forEach(function (el) {
      var back = el.closest(".graph-fit") ? { width: null, height: null } : { width: null };
      window.Plotly.relayout(el, back).then(function () { window.Plotly.Plots.resize(el); });
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
  // Printing: the page says where it came from, every caveat opens, the charts take the page's width.
  window.addEventListener("beforeprint", function () {
    // The printed page says where it came from and when.
    var when = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
    document.querySelectorAll(".print-stamp-when").forEach(function (el) {
      el.textContent = "Printed " + when + " from " + window.location.href;
    });
    // Every caveat is printed, not only the first.
    document.querySelectorAll("details.more-caveats:not([open])").forEach(function (el) {
      el.open = true;
      el.dataset.openedForPrint = "yes";
    });
    drawForPrint();
  });
  window.addEventListener("afterprint", function () {
    document.querySelectorAll("details.more-caveats[data-opened-for-print]").forEach(function (el) {
      el.open = false;
      delete el.dataset.openedForPrint;
    });
    drawForScreen();
  });
  if (window.matchMedia) {
    window.matchMedia("print").addEventListener("change", function (event) {
      if (event.matches) drawForPrint(); else drawForScreen();
    });
  }
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

/* A board pack takes seconds to make: say so while it is made, then hand over the file. Links that
   ask the reader to confirm first (sensitive figures) are left to the browser. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.long-export[download]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || !window.fetch) return;
    var status = document.getElementById("pack-status");
    if (!status) return;
    event.preventDefault();
    if (link.getAttribute("aria-disabled") === "true") return;
    var what = (link.getAttribute("aria-label") || ("This page as " + link.textContent)).trim();
    var started = Date.now();
    link.setAttribute("aria-disabled", "true");
    status.textContent = "Making the board pack (" + what + "). This can take up to 20 seconds.";
    var timer = setInterval(function () {
      var seconds = Math.round((Date.now() - started) / 1000);
      status.setAttribute("aria-live", "off");
      status.textContent = "Making the board pack (" + what + "): " + seconds + " seconds so far.";
    }, 1000);
    function done(message) {
      if (timer) clearInterval(timer);
      link.removeAttribute("aria-disabled");
      status.setAttribute("aria-live", "polite");
      status.textContent = message;
    }
    /* The server answers 202 with the pack's progress while export workers make it; ask again each
       second until the file comes. */
    function ask() {
      return fetch(link.href, { credentials: "same-origin", headers: { "X-SPR-Progress": "1" } }).then(function (response) {
        if (response.status === 202) {
          return response.json().then(function (progress) {
            clearInterval(timer);
            timer = null;
            status.setAttribute("aria-live", "off");
            status.textContent = progress.message + " " + Math.round((Date.now() - started) / 1000) + " seconds so far.";
            return new Promise(function (resolve) { setTimeout(resolve, 1000); }).then(ask);
          });
        }
        return saved(response);
      });
    }
    function saved(response) {
      var disposition = response.headers.get("Content-Disposition") || "";
      if (!response.ok || disposition.indexOf("attachment") < 0) {
        return response.text().then(function (text) {
          if ((response.headers.get("Content-Type") || "").indexOf("text/plain") === 0) {
            done("The board pack could not be made: " + text.trim());
          } else {
            done("");
            window.location.href = link.href;
          }
        });
      }
      var match = /filename="([^"]+)"/.exec(disposition);
      return response.blob().then(function (blob) {
        var url = URL.createObjectURL(blob);
        var save = document.createElement("a");
        save.href = url;
        save.download = match ? match[1] : "board-pack";
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
        done("The board pack (" + what + ") is ready: your browser has saved it.");
      });
    }
    ask().catch(function () {
      done("");
      window.location.href = link.href;
    });
  });
})();

/* Figures after a page's first: each is drawn when its card comes near the screen, or when the browser is
   next idle, whichever is first (components/chart_card.py). One idle drawing at a time, so each is a task
   of its own and the page stays quick to answer while they come. */
(function () {
  "use strict";

  var waiting = []; // resolvers of figures waiting for an idle moment, in page order
  var idleAsked = false;
  var idle = window.requestIdleCallback
    ? function (fn) { window.requestIdleCallback(fn, { timeout: 1500 }); }
    : function (fn) { window.setTimeout(fn, 50); };

  // Nothing is drawn before the page's first figure (drawn with the page) is on screen: the later
  // figures would otherwise wait with it for plotly.js and be drawn in its task. Looked for on each
  // frame, for at most 5 s.
  function afterFirstFigure(fn) {
    var since = Date.now();
    (function look() {
      var plot = document.querySelector(".chart-graph .js-plotly-plot");
      if ((plot && plot.data && plot.data.length) || Date.now() - since > 5000) {
        fn();
      } else {
        window.requestAnimationFrame(look);
      }
    })();
  }

  function drawNextWhenIdle() {
    if (idleAsked || !waiting.length) return;
    idleAsked = true;
    idle(function () {
      idleAsked = false;
      var next = waiting.shift();
      if (next) next();
      drawNextWhenIdle();
    });
  }

  function whenNear(element, draw) {
    var done = false;
    function once() {
      if (done) return;
      done = true;
      if (observer) observer.disconnect();
      var at = waiting.indexOf(once);
      if (at >= 0) waiting.splice(at, 1);
      draw();
    }
    var observer = null;
    if (element && window.IntersectionObserver) {
      observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) once();
      }, { rootMargin: "300px 0px" });
      observer.observe(element);
    }
    waiting.push(once);
    drawNextWhenIdle();
  }

  function whenNearAfterFirst(element, draw) {
    afterFirstFigure(function () { whenNear(element, draw); });
  }

  // Printing asks for whatever is still waiting at once. Dash puts it on the page a moment later, so a
  // print made in the first second may miss it; its stand-in then says so on paper (assets/app.css).
  window.addEventListener("beforeprint", function () {
    waiting.splice(0).forEach(function (draw) { draw(); });
  });

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    spr: Object.assign({}, (window.dash_clientside || {}).spr, {
      // ``graph``: the id, figure and config of a dcc.Graph; it is put in the slot as a new component.
      drawWhenNear: function (graph) {
        var context = window.dash_clientside.callback_context;
        var key = context && context.outputs_list && context.outputs_list.id && context.outputs_list.id.key;
        return new Promise(function (resolve) {
          // The card may not be on the page yet when Dash calls this: look again on the next frames.
          var tries = 0;
          (function find() {
            var element = key ? document.getElementById(key + "-graph") : null;
            if (!element && tries++ < 10) { window.requestAnimationFrame(find); return; }
            whenNearAfterFirst(element, function () {
              resolve({ type: "Graph", namespace: "dash_core_components", props: graph });
            });
          })();
        });
      },
    }),
  });
})();
