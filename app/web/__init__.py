"""The web layer: pages (Jinja2) and, later, the partner API. Routes are thin; they call
app.services."""
