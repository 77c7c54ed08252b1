"""`kg serve`: the web application, another view of a build beside the CLI.

A JSON API under /api/v1 (OpenAPI at /openapi.json, documentation at /docs) that answers with the same JSON as
the CLI's `--format json`, by calling the same functions the CLI calls, and the interactive page at `/` (the
offline page of `kg export html`, with prediction, search and cards served live). Safe by default: loopback
only, read-only, bounded request bodies and parameters, every computation in a killable worker process under a
time limit, a Host allow-list, no CORS unless configured, labels always escaped, no credentials ever read.

Modules: settings (what `kg serve` was asked for), errors (kg's errors as JSON), guard (the HTTP-level limits),
worker (the computations run in worker processes), state (the loaded build and its pools), api_* (the routes),
page (the page, its static files and the API docs), app (assembly).
"""
