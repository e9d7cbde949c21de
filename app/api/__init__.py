"""The partner JSON API (versioned under /api/v1). Same services as the web pages."""
