/* The API documentation page: Swagger UI over this server's /openapi.json (a file, so that the page's
 * Content-Security-Policy can forbid inline scripts). */
window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
