"""Every reflection model validates, every step is reachable, every template exists."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from jinja2 import ChainableUndefined
from pydantic import ValidationError

from bot.wording import PROMPTS_DIR, make_environment
from supervision_models.registry import MODELS_DIR, ModelRegistry, default_registry
from supervision_models.schema import ReflectionModel

REQUIRED = {
    "post_visit",
    "quick_checkin",
    "case_supervision",
    "practice_pledge",
    "pledge_review",
    "group_supervision",
}


def test_the_required_models_are_present() -> None:
    assert {m.id for m in default_registry().latest()} >= REQUIRED
    assert default_registry().default().id == "post_visit"


@pytest.mark.parametrize("model", default_registry().all_versions(), ids=lambda m: f"{m.id}-v{m.version}")
def test_every_step_is_reachable_and_every_template_renders(model: ReflectionModel) -> None:
    assert model.reachable_steps() == {s.id for s in model.steps}
    env = make_environment(PROMPTS_DIR)
    env.undefined = ChainableUndefined  # a smoke render with no values; the bot renders strictly
    for name in model.templates():
        assert (PROMPTS_DIR / name).is_file(), f"{model.id} needs {name}"
        assert env.get_template(name).render().strip(), f"{name} renders empty"


def test_the_pledge_offers_all_fourteen_points() -> None:
    point = default_registry().get("practice_pledge").step("point")
    assert len(point.choices) == 14


def _model_with(**changes: object) -> dict[str, object]:
    with (MODELS_DIR / "quick_checkin.v1.yaml").open() as handle:
        data: dict[str, object] = yaml.safe_load(handle)
    data.update(changes)
    return data


def test_a_dangling_transition_is_refused() -> None:
    data = _model_with()
    steps = data["steps"]
    assert isinstance(steps, list)
    steps[1]["next"] = "nowhere"
    with pytest.raises(ValidationError, match="unknown steps"):
        ReflectionModel.model_validate(data)


def test_an_unreachable_step_is_refused() -> None:
    data = _model_with()
    steps = data["steps"]
    assert isinstance(steps, list)
    steps[0]["next"] = "end"
    with pytest.raises(ValidationError, match="never be reached"):
        ReflectionModel.model_validate(data)


def test_a_model_cannot_be_defined_twice_at_one_version() -> None:
    model = default_registry().get("quick_checkin")
    with pytest.raises(ValueError, match="defined twice"):
        ModelRegistry([model, model])


def test_find_by_alias_or_title() -> None:
    registry = default_registry()
    found = [registry.find(n) for n in ("checkin", "Quick check-in", "group", "pledge", "nonsense")]
    assert [m.id if m else None for m in found] == [
        "quick_checkin", "quick_checkin", "group_supervision", "practice_pledge", None,
    ]  # fmt: skip


def test_model_files_are_named_by_id_and_version() -> None:
    for path in Path(MODELS_DIR).glob("*.yaml"):
        with path.open() as handle:
            data = yaml.safe_load(handle)
        assert path.name == f"{data['id']}.v{data['version']}.yaml"
