"""Fixtures the plugin's test modules share: example projects and isolated globals."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture
def example(pytester: pytest.Pytester) -> Callable[..., Path]:
    """Copy ``tests/examples/<name>`` into the pytester folder, optionally without its
    pyproject.toml (to configure the set through an ini file instead)."""

    def copy(name: str = "plugin_clean", *, pyproject: bool = True) -> Path:
        shutil.copytree(EXAMPLES / name, pytester.path, dirs_exist_ok=True)
        if not pyproject:
            (pytester.path / "pyproject.toml").unlink()
        return pytester.path

    return copy


@pytest.fixture
def no_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """The default profile depends on $CI: tests that do not set it must not inherit it."""
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def keep_profile() -> Iterator[None]:
    """In-process runs share Hypothesis's globals: restore the loaded profile after."""
    name = settings.get_current_profile_name()
    yield
    settings.load_profile(name)
