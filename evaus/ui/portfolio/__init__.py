"""The portfolio page: a selection of projects over a period in figures, the projects behind
each figure, and the portfolio report."""
