"""The NiceGUI web application."""
