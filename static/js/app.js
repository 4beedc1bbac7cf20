// Small behaviours the server-rendered pages need; no framework.
// After an htmx swap, move focus to the swapped region's heading or first
// field so keyboard and screen-reader users know where they are.
document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (!target) return;
  const focusable = target.querySelector("[data-focus-after-swap], [aria-invalid='true'], h2, h3");
  if (focusable) {
    if (!focusable.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(focusable.tagName)) {
      focusable.setAttribute("tabindex", "-1");
    }
    focusable.focus({ preventScroll: false });
  }
});
// Confirm destructive actions without inline scripts (CSP): data-confirm="...".
document.addEventListener("submit", (event) => {
  const message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    // Capture phase on the document runs before htmx's own submit listener:
    // stopping here keeps an hx-post form from being sent after "Cancel".
    event.preventDefault();
    event.stopPropagation();
  }
}, true);
