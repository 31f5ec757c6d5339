"""Review serializers, one module per area: setup (scales and templates), cycles, writing, release.

Import from the module itself (`from reviews.serializers.setup import ...`).
"""
