// Small behaviours the server-rendered pages need; no framework.
// After an htmx swap has settled (so htmx has bound the new elements), move focus to the swapped region's heading or first
// field so keyboard and screen-reader users know where they are.
document.addEventListener("htmx:afterSettle", (event) => {
  let target = event.detail.target;
  // With outerHTML swaps the old target is gone: look the new element up by id.
  if (target && !target.isConnected && target.id) target = document.getElementById(target.id);
  // Live results (search) keep the focus in the field being typed in.
  if (!target || target.hasAttribute("data-no-focus-after-swap")) return;
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
// A sticky save bar never covers the field being filled in (WCAG 2.2 2.4.11). CSS scroll-padding
// keeps it clear of small fields, but browsers scroll only a text box's caret into view: a
// textarea reached with Tab could sit half under the bar. Scroll the rest of it out from under.
document.addEventListener("focusin", (event) => {
  const field = event.target;
  const bar = field.closest && field.closest("form")?.querySelector(".sticky-actions");
  if (!bar || bar.contains(field)) return;
  const hidden = field.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
  if (hidden > 0) window.scrollBy({ top: hidden + 8, behavior: "instant" });
});
// "/" jumps to the search field (the page's own, else the header's) unless one is typing.
document.addEventListener("keydown", (event) => {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  const here = event.target;
  if (here.closest && here.closest("input, textarea, select, [contenteditable]:not([contenteditable='false'])")) return;
  const field = document.querySelector("main [data-search-field]") || document.querySelector("[data-search-field]");
  if (!field) return;
  event.preventDefault();
  field.focus();
  field.select();
});
