"""A feature app that exists only in tests: it plugs itself into the foundation's extension
points from its own modules, the way reviews/ and rewards/ will."""
