// The header's menus (templates/partials/nav.html): the menu button below 768 px, one menu
// open at a time, Escape and a click elsewhere close them. No framework; without this file the
// menus stay usable as plain <details>.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  function ready() {
    var header = document.querySelector(".site-header");
    var toggle = document.querySelector(".menu-toggle");
    var menus = Array.prototype.slice.call(document.querySelectorAll(".nav-menu"));
    if (!header) { return; }
    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = header.classList.toggle("nav-open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    menus.forEach(function (menu) {
      menu.addEventListener("toggle", function () {
        if (!menu.open) { return; }
        menus.forEach(function (other) { if (other !== menu) { other.open = false; } });
      });
    });
    document.addEventListener("click", function (event) {
      if (window.matchMedia("(max-width: 47.99rem)").matches) { return; }
      menus.forEach(function (menu) { if (!menu.contains(event.target)) { menu.open = false; } });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      menus.forEach(function (menu) {
        if (menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
