// Swagger UI for the app's OpenAPI schema, from the app's own copy (no CDN). This is a file and
// not an inline script because the site's Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  root.textContent = "";
  window.ui = window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The default badge asks validator.swagger.io about the schema: a third-party call.
    validatorUrl: null
  });
})();
