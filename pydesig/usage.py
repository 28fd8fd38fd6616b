"""Usage errors (an unknown option, a missing argument, a value of the wrong type) as one line.

click prints a usage error as three or four lines (``Usage: …``, ``Try … for help.``, a blank
line, ``Error: …``).  Every other bad input pydesig meets is one line on stderr with exit code 2,
and scripts and the web app's logs rely on that, so the command group here turns click's usage
errors into the same shape::

    pydesig: solve: No such option '--bogus'. (see 'pydesig solve --help')

``--help`` is unchanged, and so is ``pydesig`` run with no command at all (it shows the help).
"""

from __future__ import annotations

import click

from .errors import one_line

__all__ = ["OneLineGroup", "one_line_usage"]

# click >= 8.2 shows the help for a group run without a command by raising this usage error.
_HELP_SHOWN = getattr(click.exceptions, "NoArgsIsHelpError", ())


class _OneLineUsageError(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(self.message, err=True)


def one_line_usage(err: click.UsageError) -> click.ClickException:
    """The usage error ``err`` as one line: the command, click's message, where help is."""
    ctx = err.ctx
    path = ctx.command_path if ctx is not None else ""
    command = path.split(" ", 1)[1] if " " in path else ""
    message = one_line(err.format_message().strip())
    hint = f" (see '{one_line(path)} --help')" if path else ""
    return _OneLineUsageError(f"pydesig: {command + ': ' if command else ''}{message}{hint}")


class OneLineGroup(click.Group):
    """A command group whose usage errors, and its commands' usage errors, are one line."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _HELP_SHOWN:
            raise
        except click.UsageError as err:
            raise one_line_usage(err) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except _HELP_SHOWN:
            raise
        except click.UsageError as err:
            raise one_line_usage(err) from None
