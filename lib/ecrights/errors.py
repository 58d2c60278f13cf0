"""One error hierarchy. The command line maps a class to its exit code in one
place (run/cli.py): bad input is 2, a failed section 1, an interrupt 130/143.

Messages name the file, the field and what was expected; they quote at most a
short prefix of a bad value (see `shorten`).
"""

from __future__ import annotations


class EcrightsError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(EcrightsError):
    """Bad input (parameters, data, manifest, sweep file, command line), detected
    before any kernel starts: exit code 2."""


class ParameterError(InputError):
    """Bad parameters; the message names file, key, value and expectation."""


class DataError(InputError):
    """A data file is missing, malformed or breaks its schema."""


class ManifestError(DataError):
    """data/ does not match data/MANIFEST.sha256 (or updating it would drop a declared file)."""


class SectionFailed(EcrightsError):
    """A section's notebook failed (the others still ran): exit code 1."""


class Interrupted(EcrightsError):
    """The run was stopped by SIGINT or SIGTERM."""

    def __init__(self, signum: int, message: str = "interrupted"):
        super().__init__(message)
        self.signum = signum


def shorten(value, limit: int = 80) -> str:
    """repr(value), cut to `limit` characters: a message never floods the terminal."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cut(text: str, limit: int = 300) -> str:
    """A message's text, cut to `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
