// Site-wide behaviour. No inline scripts anywhere: the CSP allows only files from our origin.
document.addEventListener("DOMContentLoaded", () => {
  // Language switch submits when a language is picked.
  document.querySelectorAll("[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.requestSubmit());
  });
  // Confirm dangerous buttons.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (ev) => {
      if (!window.confirm(el.dataset.confirm)) ev.preventDefault();
    });
  });
});
// Send the CSRF token with every htmx request.
document.addEventListener("htmx:configRequest", (ev) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) ev.detail.headers["X-CSRFToken"] = token.content;
});
