"""User errors: one exception family whose str() is a single line.

The shape is `path[:line[:col]]: what is wrong[; hint]`. The CLI maps every
HealthlintError to exit status 2.
"""
from __future__ import annotations


class HealthlintError(Exception):
    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 col: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.col is not None:
                    where += f":{self.col}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f"; {self.hint}"
        return text


class ConfigError(HealthlintError):
    """A project configuration file is invalid."""


class PackError(HealthlintError):
    """A rule pack is invalid."""


class InputError(HealthlintError):
    """A path given on the command line cannot be used."""
