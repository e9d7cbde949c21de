"""Use cases shared by every entry point (web pages, partner API, command line): routes and
commands stay thin and call these."""
