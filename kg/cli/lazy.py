"""A click group whose subcommands live in other modules and are imported only when used (fast start-up).

Every group of the CLI that holds commands from more than one area (the top level, `kg query`, `kg export`) is a
`LazyGroup` with a table of `name -> "module:attribute"`; commands defined in the group's own module are added
the usual way and sit beside the lazy ones.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

import click


class LazyGroup(click.Group):
    """A group whose `lazy` commands are imported from their module on first use."""

    def __init__(self, *args: object, lazy: Mapping[str, str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attr = target.split(":")
        command = getattr(importlib.import_module(module_name), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command
