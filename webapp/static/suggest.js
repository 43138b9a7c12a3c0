/* Search suggestions: a WAI-ARIA combobox (list autocomplete) on every search box that has
 * data-suggest. Progressive enhancement only: without this file the box is a plain search field
 * and the form submits as usual. Up/Down move through the suggestions, Enter picks the one
 * highlighted (or submits what was typed), Escape closes the list; a pick fills the box and
 * submits the search. */
(function () {
  "use strict";
  var DELAY_MS = 120;

  function enhance(input, number) {
    var url = input.getAttribute("data-suggest");
    var lang = input.getAttribute("data-suggest-lang") || "";
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var items = [];
    var active = -1;
    var timer = null;
    var asked = "";

    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);
    input.parentNode.classList.add("has-suggestions");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      items.forEach(function (item, i) { item.setAttribute("aria-selected", i === index ? "true" : "false"); });
      active = index;
      if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
      else input.removeAttribute("aria-activedescendant");
    }

    function pick(item) {
      input.value = item.getAttribute("data-text");
      close();
      if (input.form.requestSubmit) input.form.requestSubmit(); else input.form.submit();
    }

    function show(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (s, i) {
        var item = document.createElement("li");
        item.id = list.id + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-text", s.text);
        item.setAttribute("lang", s.language);
        item.textContent = s.text;
        if (s.description) {
          var note = document.createElement("span");
          note.className = "suggestion-kind";
          note.textContent = s.description;
          item.appendChild(note);
        }
        item.addEventListener("mousedown", function (event) { event.preventDefault(); pick(item); });
        list.appendChild(item);
        return item;
      });
      active = -1;
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = input.getAttribute("data-suggest-count").replace("{num}", items.length);
      } else {
        close();
        status.textContent = input.value.trim() ? input.getAttribute("data-suggest-none") : "";
      }
    }

    function ask() {
      var typed = input.value;
      if (!typed.trim()) { asked = ""; show([]); return; }
      if (typed === asked) return;
      asked = typed;
      var query = "?q=" + encodeURIComponent(typed) + (lang ? "&lang=" + encodeURIComponent(lang) : "");
      fetch(url + query, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) { if (input.value === typed) show(data.suggestions || []); })
        .catch(function () { /* offline or refused: the box still works as a plain field */ });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, DELAY_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) {
        if (event.key === "ArrowDown" && input.value.trim()) { asked = ""; ask(); event.preventDefault(); }
        return;
      }
      if (event.key === "ArrowDown") { highlight((active + 1) % items.length); event.preventDefault(); }
      else if (event.key === "ArrowUp") { highlight(active <= 0 ? items.length - 1 : active - 1); event.preventDefault(); }
      else if (event.key === "Enter" && active >= 0) { pick(items[active]); event.preventDefault(); }
      else if (event.key === "Escape") { close(); event.preventDefault(); }
    });
    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);
})();
