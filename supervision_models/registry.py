"""Loads every reflection model and keeps every version, so a session can finish on the
version it began with even after the model is revised."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from supervision_models.schema import ReflectionModel

MODELS_DIR = Path(__file__).parent / "models"
DEFAULT_MODEL_ID = "post_visit"


class UnknownModelError(LookupError):
    """No reflection model has that name (or that version)."""


class ModelRegistry:
    def __init__(self, models: Iterable[ReflectionModel]) -> None:
        self._by_key: dict[tuple[str, int], ReflectionModel] = {}
        for model in models:
            key = (model.id, model.version)
            if key in self._by_key:
                raise ValueError(f"model {model.id} v{model.version} is defined twice")
            self._by_key[key] = model

    @classmethod
    def from_directory(cls, directory: Path = MODELS_DIR) -> ModelRegistry:
        models = []
        for path in sorted(directory.glob("*.yaml")):
            with path.open(encoding="utf-8") as handle:
                models.append(ReflectionModel.model_validate(yaml.safe_load(handle)))
        return cls(models)

    def latest(self) -> list[ReflectionModel]:
        """The newest version of each model, in a stable order (the default first)."""
        newest: dict[str, ReflectionModel] = {}
        for (model_id, version), model in self._by_key.items():
            if model_id not in newest or newest[model_id].version < version:
                newest[model_id] = model
        return sorted(newest.values(), key=lambda m: (m.id != DEFAULT_MODEL_ID, m.minutes, m.id))

    def get(self, model_id: str, version: int | None = None) -> ReflectionModel:
        if version is not None:
            try:
                return self._by_key[(model_id, version)]
            except KeyError:
                raise UnknownModelError(f"{model_id} v{version}") from None
        for model in self.latest():
            if model.id == model_id:
                return model
        raise UnknownModelError(model_id)

    def find(self, name: str) -> ReflectionModel | None:
        """A model by id, alias or title, as a person might type it."""
        wanted = _normal(name)
        for model in self.latest():
            if wanted in {_normal(n) for n in (model.id, model.title, *model.aliases)}:
                return model
        return None

    def default(self) -> ReflectionModel:
        return self.get(DEFAULT_MODEL_ID)

    def all_versions(self) -> list[ReflectionModel]:
        return list(self._by_key.values())


def _normal(name: str) -> str:
    return " ".join(name.lower().replace("-", " ").replace("_", " ").split())


@lru_cache(maxsize=1)
def default_registry() -> ModelRegistry:
    return ModelRegistry.from_directory()
