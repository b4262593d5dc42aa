// The live board of a rapid report request (reporting/_live_board.html). htmx asks for the
// board again every few seconds (hx-trigger="every …s" on the board itself, as the other
// pages use htmx); this file only keeps that polite and safe:
// - no request while the tab is hidden, and one at once when it is shown again;
// - a board that could not be fetched keeps its last figures and says the connection is lost;
// - an expired session reloads the page rather than putting the sign-in form in the board's
//   place (the server answers htmx 204 with HX-Refresh; should a redirect still reach here,
//   the path of the address answered, not its ?next=, and the board's marker are checked);
// - screen readers hear the summary line when it changes, not at every refresh.
(() => {
  const BOARD = "[data-live-board]";
  const isBoard = (element) => Boolean(element && element.matches && element.matches(BOARD));
  const board = () => document.querySelector(BOARD);

  const setStale = (stale) => {
    const current = board();
    if (!current) return;
    current.classList.toggle("is-stale", stale);
    const note = current.querySelector("[data-live-stale]");
    if (note) note.hidden = !stale;
  };

  const announce = () => {
    const current = board();
    const status = document.getElementById("live-board-status");
    if (!current || !status) return;
    const summary = current.dataset.summary || "";
    if (status.dataset.last !== undefined && status.dataset.last !== summary) {
      status.textContent = `Đã cập nhật: ${summary}`;
    }
    status.dataset.last = summary;
  };

  document.addEventListener("DOMContentLoaded", announce);

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (isBoard(event.detail.elt) && document.hidden) event.preventDefault();
  });

  document.addEventListener("visibilitychange", () => {
    const current = board();
    if (!document.hidden && current && window.htmx) window.htmx.trigger(current, "live-refresh");
  });

  document.addEventListener("htmx:beforeSwap", (event) => {
    if (!isBoard(event.detail.elt)) return;
    // The address's path, not the whole address: the sign-in page's ?next= holds the board's.
    const url = (event.detail.xhr && event.detail.xhr.responseURL) || "";
    let path = "";
    try {
      path = url ? new URL(url).pathname : "";
    } catch (error) {
      path = "";
    }
    const body = (event.detail.xhr && event.detail.xhr.responseText) || "";
    if (url && (!path.endsWith("/truc-tuyen/") || !body.includes("data-live-board"))) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });

  document.addEventListener("htmx:sendError", (event) => {
    if (isBoard(event.detail.elt)) setStale(true);
  });
  document.addEventListener("htmx:responseError", (event) => {
    if (isBoard(event.detail.elt)) setStale(true);
  });
  document.addEventListener("htmx:afterSettle", () => {
    if (board()) announce();
  });
})();
