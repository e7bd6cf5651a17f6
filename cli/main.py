"""`mips`: score and explain cases, validate and show rulebooks. Errors never end in a traceback.

Each command lives in its own module and is imported only when it runs (`COMMANDS`), so that
`mips --help` and a single command start fast. A new command is one more line in `COMMANDS`.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys

import click

from engine.errors import MipsError, os_failure

SHOWN_PROBLEMS = 100  # problems printed at most; the rest are counted

COMMANDS = {
    "score": "cli.scoring:score",
    "explain": "cli.scoring:explain_command",
    "diff": "cli.diffing:diff_command",
    "rulebook": "cli.rulebooks:rulebook_group",
    "deadlines": "cli.program:deadlines",
    "euc": "cli.program:euc",
    "convert": "cli.convert:convert_command",
    "check": "cli.check:check_group",
    "population": "cli.population:population_group",
    "impact": "cli.impact:impact_command",
    "serve": "cli.serve:serve",
}


def emit(text: str) -> None:
    """Write a fully rendered output in one piece (nothing half-written on error)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


class LazyGroup(click.Group):
    """A command group that imports a command's module only when that command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, attribute = target.split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mips-rulebook-engine", prog_name="mips")
def cli() -> None:
    """MIPS rulebook engine: traced scores and plain-language explanations from yearly YAML rulebooks."""


def _quiet_stdout() -> None:
    """After the reader of our output went away (`mips ... | head`), let the exit flush nothing."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main() -> None:
    """Entry point: run the CLI, turning every error into a message and an exit code.

    The cyclic garbage collector is paused while a command runs: start-up makes many long-lived
    objects (modules, models, a rulebook) and collecting among them only costs time; what one
    command leaves behind is freed by reference counting. A batch collects what each input leaves
    (engine.batch).

    pydantic plugins are not looked for (the engine's models use none, and looking reads the metadata
    of every installed distribution), unless PYDANTIC_DISABLE_PLUGINS is set otherwise.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run()
    finally:
        if collecting:
            gc.enable()


def _run() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except (click.Abort, KeyboardInterrupt):
        click.echo("interrupted; nothing was written", err=True)
        sys.exit(130)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(141)
    except MipsError as exc:
        _refused(exc)
    except OSError as exc:
        _refused(os_failure(exc))
    except RuntimeError as exc:
        if not str(exc).startswith("Symlink loop"):
            _internal(exc)
        _refused(os_failure(exc))
    except Exception as exc:  # noqa: BLE001 - a user never sees a traceback
        _internal(exc)


def _refused(exc: MipsError) -> None:
    text = exc.render(SHOWN_PROBLEMS)
    try:
        click.echo(f"error: {text}" if len(exc.problems) == 1 else "error:\n" + text, err=True)
    except OSError:
        pass
    sys.exit(1)


def _internal(exc: Exception) -> None:
    click.echo(f"internal error: {type(exc).__name__}: {exc}\nplease report this with the command you ran", err=True)
    sys.exit(70)
