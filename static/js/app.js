// Small behaviours the server-rendered pages need; no framework.
// After an htmx swap has settled (so htmx has bound the new elements), move focus to the swapped region's heading or first
// field so keyboard and screen-reader users know where they are.
document.addEventListener("htmx:afterSettle", (event) => {
  let target = event.detail.target;
  // With outerHTML swaps the old target is gone: look the new element up by id.
  if (target && !target.isConnected && target.id) target = document.getElementById(target.id);
  if (!target) return;
  const pick = (selector) => target.querySelector(selector);
  const focusable = pick("[data-focus-after-swap]") || pick("[aria-invalid='true']") || pick("h2, h3");
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
