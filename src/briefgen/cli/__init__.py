"""Stage 8, the command line: argument parsing (commands) and reporting (console) only."""

from .commands import cli, main

__all__ = ["cli", "main"]
