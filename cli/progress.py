"""A progress bar on standard error for long runs (silent when standard error is not a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Callable

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn


@contextmanager
def bar(description: str) -> Iterator[Callable[[str, float], None]]:
    """Yields update(step, fraction done); the bar is drawn only on an interactive terminal."""
    console = Console(stderr=True)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                        TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal)
    with progress:
        task = progress.add_task(description, total=1.0)

        def update(step: str, done: float) -> None:
            progress.update(task, completed=min(done, 1.0), description=f"{description}: {step}")
        yield update
