"""The project registry's pages: the front page, the project list, a project's page, history and
editor. ``pages`` registers them."""
