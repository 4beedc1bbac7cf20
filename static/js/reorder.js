// Drag and drop reordering for the workshop (CSP-safe, no framework).
// A [data-reorder-list] holds items [data-reorder-item="<form id>"]; each item has a
// draggable [data-drag-handle]. Dropping an item on a sibling puts the sibling's position
// (1-based) into the item's hidden form and submits it: the same move view the
// "Move up/down" buttons (the keyboard way) post to, via htmx or a plain POST.
(() => {
  let dragged = null;
  const itemOf = (node) => {
    let item = node && node.closest ? node.closest("[data-reorder-item]") : null;
    while (item && dragged && item.parentElement !== dragged.parentElement) {
      item = item.parentElement.closest("[data-reorder-item]");
    }
    return item;
  };
  const siblings = (item) =>
    Array.from(item.parentElement.children).filter((el) => el.hasAttribute("data-reorder-item"));
  const clear = () =>
    document.querySelectorAll(".drop-target, .is-dragging").forEach((el) => el.classList.remove("drop-target", "is-dragging"));

  document.addEventListener("dragstart", (event) => {
    const handle = event.target.closest && event.target.closest("[data-drag-handle]");
    const item = handle && handle.closest("[data-reorder-item]");
    if (!item || !item.parentElement.hasAttribute("data-reorder-list")) return;
    dragged = item;
    item.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.id || "");
    event.dataTransfer.setDragImage(item, 16, 16);
  });
  document.addEventListener("dragover", (event) => {
    const target = itemOf(event.target);
    if (!dragged || !target || target === dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    document.querySelectorAll(".drop-target").forEach((el) => el !== target && el.classList.remove("drop-target"));
    target.classList.add("drop-target");
  });
  document.addEventListener("drop", (event) => {
    const target = itemOf(event.target);
    const item = dragged;
    if (!item || !target || target === item) return;
    event.preventDefault();
    const form = document.getElementById(item.getAttribute("data-reorder-item"));
    if (!form) return;
    form.querySelector("input[name=position]").value = String(siblings(item).indexOf(target) + 1);
    form.requestSubmit();
  });
  document.addEventListener("dragend", () => {
    dragged = null;
    clear();
  });
})();
