"""The impact-assessment pages: the list and the new-assessment form (listing.py), the wizard
(wizard.py, its steps 0–4 in scoping.py and alternatives.py, 5–8 in deciding.py), the matrix and
its cell editor (matrix.py, cell.py), the comparisons (summary.py) and the ex-post evaluation
(expost.py); common.py has what they share. ``pages`` registers them."""
