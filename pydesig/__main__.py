"""``python -m pydesig`` is the ``pydesig`` command."""

from .cli import main

main()
