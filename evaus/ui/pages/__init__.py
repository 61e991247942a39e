"""One module per feature; each has a ``router`` that ``evaus.ui.app.startup`` includes."""
