/* Progressive enhancement only: every page works without this file.
 * - The sort and page-size menus apply as soon as they change (their button is for no-JS).
 * - On wide screens the filter panel starts open and ticking a box submits the search form
 *   (on phones the panel is a drawer, so the user ticks several boxes and taps Apply).
 * - After such a submit, focus returns to the box that was ticked, so keyboard and screen-reader
 *   users keep their place.
 * - The Cite block's Copy buttons appear and copy a reference's text (without a script the
 *   reference is still one click to select). */
(function () {
  "use strict";
  var FOCUS_KEY = "mecp-focus";
  var wide = window.matchMedia("(min-width: 56em)");
  document.documentElement.classList.add("js");

  function openPanelsOnWideScreens() {
    if (!wide.matches) return;
    document.querySelectorAll("details[data-filter-panel], details[data-wide-open]").forEach(
      function (panel) { panel.open = true; }
    );
  }

  // On a phone the boxes are ticked first and applied at once: the sticky button says how many
  // publications the ticked boxes will give, asking the JSON API for the count (no navigation).
  function keepCountUpToDate(form) {
    var button = form.querySelector("button[data-show-results]");
    if (!button || !window.fetch || !window.URLSearchParams) return;
    var asked = 0;
    form.addEventListener("change", function (event) {
      if (wide.matches || !event.target.closest("[data-filter-panel]")) return;
      var query = new URLSearchParams(new FormData(form));
      query.set("per_page", "1");
      query.delete("page");
      var mine = ++asked;
      button.setAttribute("aria-busy", "true");  // until the answer to the latest change comes
      window.fetch(button.getAttribute("data-count-url") + "?" + query.toString(), {
        headers: { Accept: "application/json" }, credentials: "omit"
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (mine !== asked) return;
        button.removeAttribute("aria-busy");
        if (!data) return;
        var n = data.total;
        var words = button.getAttribute(n === 1 ? "data-one" : "data-other");
        button.textContent = words.replace("{n}", n.toLocaleString(document.documentElement.lang));
      }).catch(function () {  // the button still applies the filters
        if (mine === asked) button.removeAttribute("aria-busy");
      });
    });
  }

  function remember(id) {
    try { window.sessionStorage.setItem(FOCUS_KEY, id); } catch (e) { /* storage may be off */ }
  }

  function restoreFocus() {
    var id = null;
    try {
      id = window.sessionStorage.getItem(FOCUS_KEY);
      window.sessionStorage.removeItem(FOCUS_KEY);
    } catch (e) { return; }
    var box = id && document.getElementById(id);
    if (box) box.focus();
  }

  function autoSubmit(form) {
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.id === "sort" || box.id === "per_page") {  // the menus apply at once, on any screen
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
        return;
      }
      if (box.type !== "checkbox" || !wide.matches) return;
      remember(box.id);
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
  }

  function copyButtons() {
    var status = document.querySelector(".copy-status");
    if (!navigator.clipboard || !window.isSecureContext) return;
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-copy"));
      if (!source) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent.trim()).then(function () {
          if (status) status.textContent = status.getAttribute("data-copied");
        }, function () {
          if (status) status.textContent = status.getAttribute("data-failed");
        });
      });
    });
  }

  // "Leave this site": Esc (or the link) replaces this page, so Back does not return to it.
  function quickExit() {
    var target = document.body.getAttribute("data-quick-exit");
    if (!target) return;
    try { window.sessionStorage.clear(); } catch (e) { /* storage may be off */ }
    window.location.replace(target);
  }

  function enableQuickExit() {
    if (!document.body.hasAttribute("data-quick-exit")) return;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") quickExit();
    });
    document.querySelectorAll("a[data-quick-exit-link]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        quickExit();
      });
    });
  }

  enableQuickExit();
  openPanelsOnWideScreens();
  copyButtons();
  if (wide.addEventListener) wide.addEventListener("change", openPanelsOnWideScreens);
  document.querySelectorAll("form[data-autosubmit]").forEach(autoSubmit);
  document.querySelectorAll("form[data-autosubmit]").forEach(keepCountUpToDate);
  restoreFocus();
})();
