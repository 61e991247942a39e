"""The administration: users, API tokens, code lists, organisations, import, export and personal
data. ``pages`` registers them."""
