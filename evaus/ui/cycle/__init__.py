"""The reporting cycle's pages and pieces: what is due, in the portfolio view and elsewhere."""
