/* Behaviour shared by the back-office pages (the admin theme loads this file on every page).
 *
 * Busy buttons. A button with data-busy="Trwa…" shows that text beside a spinner and is
 * disabled the moment its work starts: a plain form POST (until the next page arrives) or an
 * htmx request (until it answers). With data-busy-while="#slot" it also stays busy while that
 * slot shows work in progress (an element marked data-in-progress, such as a queued run that
 * polls itself), so a merchant sees at once that the click took and cannot queue it twice.
 *
 * First error. A form that comes back with errors scrolls to its first wrong field and
 * focuses it, so the merchant does not have to hunt for the red border further down.
 */
(function () {
  "use strict";

  function setBusy(button, busy) {
    if (busy === button.classList.contains("bo-busy")) return;
    if (busy) {
      button.dataset.idleHtml = button.innerHTML;
      const spinner = document.createElement("span");
      spinner.className = "bo-spinner";
      spinner.setAttribute("aria-hidden", "true");
      button.replaceChildren(spinner, document.createTextNode(" " + button.dataset.busy));
      button.classList.add("bo-busy");
      button.setAttribute("aria-busy", "true");
      button.disabled = true;
    } else {
      button.innerHTML = button.dataset.idleHtml || button.innerHTML;
      button.classList.remove("bo-busy");
      button.removeAttribute("aria-busy");
      button.disabled = false;
    }
  }

  function slotInProgress(button) {
    const slot = button.dataset.busyWhile && document.querySelector(button.dataset.busyWhile);
    return Boolean(slot && (slot.matches("[data-in-progress]") || slot.querySelector("[data-in-progress]")));
  }

  function refreshBusyWhile() {
    document.querySelectorAll("[data-busy][data-busy-while]").forEach((button) => {
      if (!button.classList.contains("htmx-request")) setBusy(button, slotInProgress(button));
    });
  }

  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    // htmx cancels the native submit of the forms it sends; those are handled below.
    if (event.defaultPrevented || !button || !button.matches("[data-busy]")) return;
    // After this event the browser collects the form's values, the submitter's name included;
    // a button disabled now would drop out of them, so disable it once they are taken.
    setTimeout(() => setBusy(button, true));
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    if (event.target.matches && event.target.matches("[data-busy]")) setBusy(event.target, true);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    if (event.target.matches && event.target.matches("[data-busy]")) {
      setBusy(event.target, false);
      refreshBusyWhile();
    }
  });
  document.addEventListener("htmx:afterSettle", refreshBusyWhile);

  // A page restored from the back/forward cache must not keep a button stuck in "Trwa…".
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll(".bo-busy").forEach((b) => setBusy(b, false));
    refreshBusyWhile();
  });

  function focusFirstError() {
    const field = document.querySelector(
      "form .bo-field-error :is(input, select, textarea):not([type=hidden]), " +
        "form [aria-invalid=true]:is(input, select, textarea)"
    );
    if (!field) return;
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => { refreshBusyWhile(); focusFirstError(); });
  } else {
    refreshBusyWhile();
    focusFirstError();
  }
})();
