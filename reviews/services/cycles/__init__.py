"""Writes of review cycles (HR admins and owners, API keys with `reviews:write`).

- `configure`: create and change a cycle, its participant rules and its phases;
- `launch`: validate and launch a cycle as a background job (idempotent);
- `people`: per-person changes once it runs (late joiners, extensions, reopening a review,
  a manager change mid-cycle).

Import the module you need (`from reviews.services.cycles.launch import cycle_launch`).
"""
