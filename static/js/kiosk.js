// The kitchen board (templates/kiosk/board.html): show one screen at a time and turn to the next
// every data-rotate-seconds. htmx replaces the screens with fresh data every minute; the board
// stays on the screen it was showing. No keyboard or mouse needed; no framework; CSP-safe.
(() => {
  const board = document.querySelector("[data-kiosk]");
  if (!board) return;
  const seconds = Math.max(3, parseInt(board.dataset.rotateSeconds, 10) || 20);
  const reload = Math.max(60, parseInt(board.dataset.reloadSeconds, 10) || 300);
  const timer = document.querySelector(".kb-timer span");
  let current = null;

  const screens = () => Array.from(board.querySelectorAll("[data-screen]"));

  function restartTimer() {
    if (!timer) return;
    timer.parentElement.classList.remove("is-running");
    void timer.offsetWidth; // start the animation again
    timer.style.animationDuration = `${seconds}s`;
    timer.parentElement.classList.add("is-running");
  }

  // Type as large as fits: a screen whose objectives overflow gets smaller type, step by step.
  function fit(screen) {
    const grid = screen.querySelector(".kb-objectives");
    if (!grid) return;
    grid.style.fontSize = "";
    const base = parseFloat(getComputedStyle(grid).fontSize);
    for (let scale = 0.95; scale >= 0.5 && grid.scrollHeight > grid.clientHeight + 1; scale -= 0.05) {
      grid.style.fontSize = `${base * scale}px`;
    }
  }

  function show(key) {
    const all = screens();
    if (!all.length) return;
    let index = all.findIndex((screen) => screen.dataset.screen === key);
    if (index < 0) index = 0;
    all.forEach((screen, i) => {
      screen.hidden = i !== index;
      screen.classList.toggle("is-current", i === index);
    });
    fit(all[index]);
    current = all[index].dataset.screen;
    board.dataset.current = current;
    board.querySelectorAll("[data-dot]").forEach((dot) => {
      dot.classList.toggle("is-current", dot.dataset.dot === current);
    });
  }

  function next() {
    const all = screens();
    const index = all.findIndex((screen) => screen.dataset.screen === current);
    const following = all[(index + 1) % all.length];
    // A screen whose key is gone (a team without OKRs now) starts the rotation again.
    show(following ? following.dataset.screen : null);
    restartTimer();
  }

  document.documentElement.classList.add("kiosk-js");
  show(null);
  restartTimer();
  window.setInterval(next, seconds * 1000);
  // Fresh data: stay on the screen being shown (hiding the others again).
  document.body.addEventListener("htmx:afterSwap", () => show(current));
  // A revoked link answers 404: load the page, which then says so.
  document.body.addEventListener("htmx:responseError", (event) => {
    if (event.detail.xhr && event.detail.xhr.status === 404) window.location.reload();
  });
  // A long-running screen: reload the whole page now and then (new styles, a lost connection).
  window.setTimeout(() => window.location.reload(), reload * 1000 * 12);
})();
