from __future__ import annotations

from pathlib import Path

import pytest
from leadscore.config import ConfigError, TrainingConfig, config_hash, load_config, parse_config
from leadscore.train import main


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_base_config_loads(base_config: TrainingConfig) -> None:
    assert base_config.model_name == "logistic_regression"
    assert base_config.dataset_dir is None
    assert 0 < base_config.test_size < 1


def test_hash_is_stable_and_ignores_key_order(
    tmp_path: Path, base_config_path: Path, base_config: TrainingConfig
) -> None:
    lines = base_config_path.read_text(encoding="utf-8").splitlines()
    reordered = write(tmp_path, "\n".join(reversed(lines)))

    assert config_hash(load_config(reordered)) == config_hash(base_config)
    assert len(config_hash(base_config)) == 64


def test_hash_changes_with_hyperparameters_but_not_with_notes(base_config: TrainingConfig) -> None:
    assert config_hash(base_config.model_copy(update={"C": 2.0})) != config_hash(base_config)
    assert config_hash(base_config.model_copy(update={"notes": "rerun"})) == config_hash(base_config)
    assert config_hash(base_config.model_copy(update={"output_dir": Path("elsewhere")})) == config_hash(
        base_config
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"C": -1}, "C"),
        ({"test_size": 1.5}, "test_size"),
        ({"max_iter": 0}, "max_iter"),
        ({"model_name": "xgboost"}, "model_name"),
        ({"learning_rate": 0.1}, "learning_rate"),  # unknown keys are typos, not silently ignored
    ],
)
def test_bad_values_fail_with_the_field_named(base_config: TrainingConfig, change: dict, field: str) -> None:
    raw = base_config.model_dump() | change
    with pytest.raises(ConfigError, match=field):
        parse_config(raw)


@pytest.mark.parametrize(
    "datasets", [{"dataset_dir": "leads"}, {"synthetic_users": None}], ids=["both", "neither"]
)
def test_exactly_one_dataset_source(base_config: TrainingConfig, datasets: dict) -> None:
    with pytest.raises(ConfigError, match="exactly one of dataset_dir and synthetic_users"):
        parse_config(base_config.model_dump() | datasets)


def test_too_few_synthetic_users_to_split(base_config: TrainingConfig) -> None:
    with pytest.raises(ConfigError, match="too small"):
        parse_config(base_config.model_dump() | {"synthetic_users": 40})


def test_missing_hyperparameter_is_an_error(base_config: TrainingConfig) -> None:
    raw = base_config.model_dump()
    del raw["C"]
    with pytest.raises(ConfigError, match="C\n  Field required"):
        parse_config(raw)


def test_unreadable_or_malformed_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "absent.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "C = = 1"))


def test_main_exits_2_with_the_validation_message(
    tmp_path: Path, base_config_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = base_config_path.read_text(encoding="utf-8").replace("test_size = 0.25", "test_size = 2")
    code = main(["--config", str(write(tmp_path, text)), "--workdir", str(tmp_path)])

    assert code == 2
    assert "test_size" in capsys.readouterr().err
    assert not (tmp_path / "artifacts").exists()
