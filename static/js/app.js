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
