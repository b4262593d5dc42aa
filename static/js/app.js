// Small behaviours of the shell; everything else is htmx.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector("[data-nav-toggle]");
  const nav = document.getElementById("sidenav");
  if (!toggle || !nav) return;
  const label = toggle.querySelector("[data-nav-toggle-label]");

  const setOpen = (open) => {
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (label) label.textContent = open ? "Đóng menu" : "Mở menu";
  };

  toggle.addEventListener("click", () => setOpen(!nav.classList.contains("open")));

  // Escape closes the menu and gives the focus back to the button that opened it.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      setOpen(false);
      toggle.focus();
    }
  });
});

// Behaviours declared in the templates by data attributes: the Content-Security-Policy
// allows no inline handlers (onclick=, hx-on:…), so they live here.

// <select data-autosubmit>: choosing an option submits its form.
document.addEventListener("change", (event) => {
  const field = event.target.closest && event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
});

// <button data-confirm="…">: asks before submitting (or following a link).
document.addEventListener("click", (event) => {
  const control = event.target.closest && event.target.closest("[data-confirm]");
  if (control && !window.confirm(control.dataset.confirm)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
});

// <form data-ctrl-enter="next">: Ctrl+Enter (⌘+Enter) presses the form's button value="next".
document.addEventListener("keydown", (event) => {
  if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey)) return;
  const form = event.target.closest && event.target.closest("form[data-ctrl-enter]");
  if (!form) return;
  const button = form.querySelector(`button[value="${form.dataset.ctrlEnter}"]`);
  if (button) {
    event.preventDefault();
    button.click();
  }
});

// [data-fill-empty-fields]: after htmx swaps in a reading, its hidden
// <span data-fill-target="id" data-fill-value="…"> fill the fields still empty.
document.addEventListener("htmx:afterSwap", (event) => {
  const box = event.target.closest && event.target.closest("[data-fill-empty-fields]");
  if (!box) return;
  box.querySelectorAll("[data-fill-target]").forEach((el) => {
    const field = document.getElementById(el.dataset.fillTarget);
    if (field && !field.value) field.value = el.dataset.fillValue;
  });
});

// <details data-fold-on-phone open>: the filters above a list. Open on a wide screen (its
// summary is hidden there); on a phone they fold behind their "Bộ lọc" button unless a
// filter is in use. Without JavaScript they simply stay open.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.matchMedia("(max-width: 640px)").matches) return;
  document.querySelectorAll("details[data-fold-on-phone]").forEach((details) => {
    const inUse = Array.from(details.querySelectorAll("input:not([type=hidden]), select")).some(
      (field) => (field.type === "checkbox" || field.type === "radio" ? field.checked : field.value),
    );
    if (!inUse) details.open = false;
  });
});

// A file field (core/widgets/file_input.html): the names of the chosen files in place of
// "Chưa chọn tệp" (the browser would say them in its own language).
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file") return;
  const names = input.closest(".file-picker") && input.closest(".file-picker").querySelector("[data-file-names]");
  if (!names) return;
  const chosen = Array.from(input.files || []).map((file) => file.name);
  names.textContent = chosen.length ? chosen.join(", ") : names.dataset.empty;
  names.classList.toggle("has-files", chosen.length > 0);
});
