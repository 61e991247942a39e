"""The impact-assessment pages, one module per part; each page module has a ``router`` that
``evaus.ui.app.startup`` includes. (The other features live in their own packages: ``registry``,
``reports``, ``admin``.)"""
