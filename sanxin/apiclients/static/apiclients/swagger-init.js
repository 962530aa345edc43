// Starts Swagger UI on /api/docs from a JSON settings block (no inline script: CSP script-src 'self').
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  var csrfToken = document.body.dataset.csrfToken;
  settings.dom_id = "#swagger-ui";
  settings.presets = [SwaggerUIBundle.presets.apis];
  settings.requestInterceptor = function (request) {
    // A signed-in browser session writes with its CSRF token; a pasted Bearer token needs none.
    if (csrfToken) { request.headers["X-CSRFToken"] = csrfToken; }
    return request;
  };
  window.ui = SwaggerUIBundle(settings);
})();
