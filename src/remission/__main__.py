"""``python -m remission`` is the ``remission`` console script."""

import sys

from remission.cli import main

sys.exit(main())
