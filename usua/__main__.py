"""``python -m usua``: the same command line as ``usua``."""

from .cli import main

main()
