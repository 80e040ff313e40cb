"""Spring Boot's migration settings: ``spring.flyway.*``, ``spring.liquibase.change-log``.

A Spring application runs Flyway with the values of its ``application.yml`` (komga sets
``spring.flyway.mixed: true``), not ``flyway.conf``. Only the base file is read (profile
files such as ``application-dev.yml`` depend on how the application is started), from the
set's folder upward to the project root, in the places a Spring project keeps it
(``src/main/resources``). The YAML reader knows block mappings and dotted keys, which is
how these settings are written; it is no general YAML parser (the harness has no YAML
dependency).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

from migration_harness.errors import BadFileError

NAMES: Final = ("application.yml", "application.yaml", "application.properties")
PLACES: Final = ("", "resources", "main/resources", "src/main/resources")
# Spring's StringToBooleanConverter.
_TRUE: Final = frozenset({"true", "on", "yes", "1"})
_FALSE: Final = frozenset({"false", "off", "no", "0"})


def flyway_setting(folder: Path, key: str) -> tuple[bool, Path] | None:
    """``spring.flyway.<key>`` as a boolean and the file that sets it; ``None``: unset.

    Raises:
        BadFileError: the value is not one Spring converts to a boolean.

    """
    wanted = f"spring.flyway.{key}"
    for config in _configs(folder):
        for name, value in _entries(config):
            if name == wanted:
                word = value.strip().strip("'\"").lower()
                if word in _TRUE or word in _FALSE:
                    return word in _TRUE, config
                message = f"{config}: {wanted} must be true or false, not {value.strip()!r}"
                raise BadFileError(message)
    return None


def liquibase_change_log(folder: Path) -> Path | None:
    """The master ``spring.liquibase.change-log`` names, when that file exists.

    The value is a resource location (``classpath:db/changelog/main.xml``), resolved from
    the folder of the application config that sets it, which is the classpath root
    (``src/main/resources``) in a standard build.
    """
    for config in _configs(folder):
        for name, value in _entries(config):
            if name in ("spring.liquibase.change-log", "spring.liquibase.changeLog"):
                location = value.strip().strip("'\"").removeprefix("classpath:").lstrip("/")
                for root in (config.parent, config.parent / "src" / "main" / "resources"):
                    if (root / location).is_file():
                        return root / location
    return None


def _configs(folder: Path) -> Iterator[Path]:
    """The application configs from ``folder`` upward, stopping at the project root."""
    for current in (folder.resolve(), *folder.resolve().parents):
        for place in PLACES:
            for name in NAMES:
                candidate = current / place / name if place else current / name
                if candidate.is_file():
                    yield candidate
        if (current / ".git").exists() or (current / "settings.gradle.kts").is_file():
            return


def _entries(config: Path) -> Iterator[tuple[str, str]]:
    """``(dotted.key, value)`` for each scalar the file sets."""
    try:
        text = config.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return
    if config.suffix == ".properties":
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped or stripped[0] in "#!":
                continue
            cut = min((i for i in (stripped.find("="), stripped.find(":")) if i >= 0), default=-1)
            if cut > 0:
                yield stripped[:cut].strip(), stripped[cut + 1 :].strip()
        return
    yield from _yaml_entries(text)


def _yaml_entries(text: str) -> Iterator[tuple[str, str]]:
    """Block-mapping YAML as dotted keys: ``spring:`` / ``  flyway:`` / ``    mixed: true``."""
    stack: list[tuple[int, str]] = []
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        stripped = line.lstrip()
        if not stripped or stripped.startswith(("#", "-", "---")) or ":" not in stripped:
            continue
        indent = len(line) - len(stripped)
        key, _, value = stripped.partition(":")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        path = ".".join([*(k for _, k in stack), key.strip().strip("'\"")])
        if value.strip():
            yield path, value
        else:
            stack.append((indent, key.strip().strip("'\"")))
