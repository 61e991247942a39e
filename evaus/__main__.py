"""``python -m evaus``: the ``evaus`` command (``python -X importtime -m evaus --help`` shows
what a command loads)."""

import sys

from .cli import main

sys.exit(main())
