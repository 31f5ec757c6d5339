"""Review services, one module per area: setup (scales and templates), cycles, writing, release.

Import from the module itself (`from reviews.services.setup import ...`).
"""
