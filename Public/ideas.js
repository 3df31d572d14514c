// Dragging an idea onto another column moves it there: the card's own "Move" form is sent with
// that column chosen, so the drag does exactly what the menu beside it does without a mouse.
(() => {
  "use strict";
  const board = document.getElementById("idea-board");
  if (!board) return;
  board.querySelectorAll("[data-idea]").forEach((card) => {
    card.addEventListener("dragstart", (event) => {
      event.dataTransfer.setData("text/plain", card.dataset.idea);
      event.dataTransfer.effectAllowed = "move";
    });
  });
  board.querySelectorAll("[data-column]").forEach((column) => {
    column.addEventListener("dragover", (event) => { event.preventDefault(); column.classList.add("drop"); });
    column.addEventListener("dragleave", () => column.classList.remove("drop"));
    column.addEventListener("drop", (event) => {
      event.preventDefault();
      column.classList.remove("drop");
      const card = document.getElementById("idea-" + event.dataTransfer.getData("text/plain"));
      if (!card || card.closest("[data-column]") === column) return;
      const form = card.querySelector("form.idea-move");
      form.querySelector("select").value = column.dataset.column;
      form.requestSubmit();
    });
  });
})();
