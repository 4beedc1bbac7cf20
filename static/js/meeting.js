// The review page and its meeting mode. Everything here is an extra: the previous/next
// links work without JavaScript; this only lets the keyboard follow them on a wall screen.
//   ArrowRight / PageDown  -> a[rel~=next][data-meeting-nav]
//   ArrowLeft  / PageUp    -> a[rel~=prev][data-meeting-nav]
// Keys typed into a field (a decision being written) are left alone.
(() => {
  const KEYS = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev" };

  const typing = (element) =>
    element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));

  document.addEventListener("keydown", (event) => {
    if (!document.querySelector("[data-meeting]")) return;
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (typing(event.target)) return;
    const rel = KEYS[event.key];
    if (!rel) return;
    const link = document.querySelector(`a[rel~="${rel}"][data-meeting-nav]`);
    if (!link) return;
    event.preventDefault();
    window.location.assign(link.href);
  });

  const ready = () => {
    // Buttons that only make sense with JavaScript are hidden in the HTML and shown here.
    document.querySelectorAll("[data-print]").forEach((button) => {
      button.hidden = false;
      button.addEventListener("click", () => window.print());
    });
    document.querySelectorAll("[data-fullscreen]").forEach((button) => {
      if (!document.fullscreenEnabled) return;
      button.hidden = false;
      button.addEventListener("click", () => {
        if (document.fullscreenElement) document.exitFullscreen();
        else document.documentElement.requestFullscreen();
      });
    });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
