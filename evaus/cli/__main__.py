"""``python -m evaus.cli``: the ``evaus`` command."""

import sys

from . import main

sys.exit(main())
