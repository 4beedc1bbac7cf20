// Keyboard for the kick-off presentation: arrows, Page Up/Down and space move between slides
// (the links also carry accesskeys). No framework, CSP-safe.
document.addEventListener("keydown", (event) => {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable]")) return;
  const keys = {
    ArrowRight: "[data-slide-next]", PageDown: "[data-slide-next]", " ": "[data-slide-next]",
    ArrowLeft: "[data-slide-previous]", PageUp: "[data-slide-previous]",
  };
  const selector = keys[event.key];
  const link = selector && document.querySelector(selector);
  if (link) {
    event.preventDefault();
    window.location.assign(link.href);
  }
});
