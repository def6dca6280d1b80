"""healthlint: a content-compliance linter for health copy.

The public API is two functions; everything is imported on first use so that
`import healthlint` (and so the command line) starts quickly.

    >>> from healthlint import lint_text
    >>> [f.code for f in lint_text("Take 2-4 grams before bed.", syntax="text")]  # doctest: +SKIP
    ['HL101', 'HL701']
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from .config import Config
    from .findings import FileReport, Finding

__all__ = ["__version__", "lint_paths", "lint_text"]


def __getattr__(name: str) -> Any:
    # PEP 562: read the version from package metadata only when asked.
    if name == "__version__":
        global __version__
        __version__ = _metadata_version() or _importlib_version()
        return __version__
    raise AttributeError(f"module 'healthlint' has no attribute {name!r}")


def _metadata_version() -> str | None:
    """The Version: line of healthlint's installed METADATA, read directly:
    importing importlib.metadata costs ~40 ms, a third of a small run's
    start-up (issue 6). None if it is not found where pip puts it."""
    import sys

    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.startswith("healthlint-") and folder.endswith(".dist-info"):
                try:
                    with open(os.path.join(entry, folder, "METADATA"), encoding="utf-8") as fh:
                        for line in fh:
                            if line.startswith("Version:"):
                                return line.split(":", 1)[1].strip()
                            if not line.strip():
                                break
                except OSError:
                    pass
    return None


def _importlib_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("healthlint")
    except PackageNotFoundError:
        return "0.0.0"


def _config(config: Config | Mapping[str, Any] | str | os.PathLike[str] | None) -> Config:
    from .config import Config, config_from_mapping, default_config, load_config

    if config is None:
        return default_config()
    if isinstance(config, Config):
        return config
    if isinstance(config, Mapping):
        return config_from_mapping(config)
    return load_config(config)


def lint_text(text: str, path: str = "<text>", syntax: str | None = None,
              config: Config | Mapping[str, Any] | str | os.PathLike[str] | None = None) -> list[Finding]:
    """Lint a string and return its findings, sorted by position.

    `syntax` is "markdown", "html" or "text"; None picks it from `path`'s
    extension (plain text when it has none). `config` is a Config, a mapping
    with the keys of `.healthlint.yaml` (relative paths from the current
    folder), or the path of a config file; None means the defaults. No
    config file is searched for: text has no location.
    """
    from .runner import Options, build_plan, lint_document, parse

    plan = build_plan(_config(config), Options())
    return lint_document(parse(text, path, syntax), plan)


def lint_paths(paths: Iterable[str | os.PathLike[str]], *, config: str | os.PathLike[str] | None = None,
               select: Iterable[str] | None = None, extend_select: Iterable[str] = (),
               ignore: Iterable[str] = (), report_unused_disables: bool | None = None,
               force_exclude: bool = False) -> list[FileReport]:
    """Lint files and folders as `healthlint check` does; one FileReport per
    file, sorted by path. Each file uses its nearest config file unless
    `config` names one; `select`/`extend_select`/`ignore` act like the
    command-line flags. A file that cannot be read has `error` set."""
    from .runner import Options, Runner

    options = Options(
        config=None if config is None else os.fspath(config),
        select=None if select is None else tuple(select), extend_select=tuple(extend_select),
        ignore=tuple(ignore), report_unused_disables=report_unused_disables, force_exclude=force_exclude)
    return list(Runner(options).run([os.fspath(p) for p in paths]).reports)
