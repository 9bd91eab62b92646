// The API reference on /api/v1/docs/: Swagger UI (from npm, served as a static file) drawing
// the schema. No validator badge: it would call a service on another host.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("swagger-ui");
  if (!element || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: element.dataset.schemaUrl,
    domNode: element,
    validatorUrl: null,
    deepLinking: false,
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],
  });
});
