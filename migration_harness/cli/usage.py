"""Usage errors in one line, as every other error of the command line.

click shows a usage error as the command's usage, a "Try … --help" line, a blank line and
the error: four lines where the README promises one (exit 2, naming what is wrong), and a
script reading stderr's first line read "Usage: …". The group re-raises each usage error
as a one-line :class:`click.ClickException` with the same exit status; ``--help`` and a
bare command (click's ``NoArgsIsHelpError``: the help text) are untouched.
"""

from __future__ import annotations

from typing import IO, Any

import click


class OneLineUsage(click.Group):
    """A group whose usage errors, its own and its commands', are one line on stderr."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        """Parse the group's own options (a wrong one is a usage error)."""
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.UsageError as exc:
            raise _shortened(exc) from exc

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command (parsing its options and arguments, where most usage errors are)."""
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _shortened(exc) from exc


class UsageLineError(click.ClickException):
    """A usage error, shown as ``error: <what> (see `<command> --help`)``."""

    exit_code = 2

    def __init__(self, message: str, command: str) -> None:
        super().__init__(message)
        self.command = command

    def show(self, file: IO[Any] | None = None) -> None:
        """One line on stderr."""
        line = f"error: {self.format_message().rstrip('.')} (see `{self.command} --help`)"
        click.echo(line, file=file, err=file is None)


def _shortened(exc: click.UsageError) -> click.ClickException:
    """``exc`` as one line, unless it is the help text a bare command prints."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        return exc
    command = exc.ctx.command_path if exc.ctx is not None else "migration-harness"
    return UsageLineError(exc.format_message(), command)
