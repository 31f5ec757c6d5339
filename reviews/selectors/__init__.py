"""Review selectors, one module per area: setup (scales and templates), cycles, writing, release.

Import from the module itself (`from reviews.selectors.setup import ...`).
"""
