"""``python -m shopfloor`` is the same as the ``shopfloor`` command."""

from shopfloor.cli import main

main()
