/* The lesson's own script, added to every page by html_js_files in _config.yml.

   Instructor view: instructor notes are hidden from learners by default. A button in each
   page's header shows them (and hides them again); the choice is remembered across pages in
   this browser (localStorage). Without JavaScript the notes stay visible. */
(function () {
  var KEY = "lesson-instructor-view";
  var root = document.documentElement;
  var stored = null;
  try {
    stored = window.localStorage.getItem(KEY);
  } catch (error) {
    stored = null; /* storage blocked (private mode, file:// in some browsers): default view */
  }
  root.classList.add("lesson-js");
  if (stored === "on") {
    root.classList.add("instructor-view");
  }

  function label(button) {
    var on = root.classList.contains("instructor-view");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.title = on ? "Hide the instructor notes" : "Show the instructor notes";
    button.querySelector(".lesson-instructor-state").textContent = on ? "on" : "off";
  }

  function addButton() {
    if (document.querySelector(".lesson-instructor-toggle")) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-sm lesson-instructor-toggle";
    button.innerHTML =
      '<i class="fa-solid fa-chalkboard-user" aria-hidden="true"></i>' +
      '<span>Instructor view:&nbsp;<span class="lesson-instructor-state">off</span></span>';
    button.addEventListener("click", function () {
      var on = !root.classList.contains("instructor-view");
      root.classList.toggle("instructor-view", on);
      try {
        window.localStorage.setItem(KEY, on ? "on" : "off");
      } catch (error) {
        /* not remembered: the view still changes on this page */
      }
      label(button);
    });
    label(button);
    var bar = document.querySelector(".article-header-buttons") || document.querySelector(".bd-header-article");
    if (bar) {
      bar.insertBefore(button, bar.firstChild);
    } else {
      document.body.insertBefore(button, document.body.firstChild);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", addButton);
  } else {
    addButton();
  }
})();
