import pytest
from pydantic import ValidationError

from core.settings import DEV_SECRET, Settings


def test_defaults_are_for_development():
    settings = Settings(_env_file=None)
    assert settings.environment == "development"
    assert settings.session_secret == DEV_SECRET
    assert settings.rasa_url == "http://127.0.0.1:5005"


def test_environment_overrides(monkeypatch, tmp_path):
    monkeypatch.setenv("AISLE_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("AISLE_RASA_PORT", "6006")
    settings = Settings(_env_file=None)
    assert settings.chroma_dir == tmp_path / "chroma"
    assert settings.rasa_url.endswith(":6006")


def test_production_refuses_development_secrets():
    with pytest.raises(ValidationError, match="AISLE_SESSION_SECRET"):
        Settings(_env_file=None, environment="production")
    with pytest.raises(ValidationError, match="AISLE_SUPPORT_TOKEN"):
        Settings(
            _env_file=None, environment="production", session_secret="s" * 32, support_token="short"
        )
    with pytest.raises(ValidationError, match="AISLE_RASA_TOKEN"):
        Settings(
            _env_file=None,
            environment="production",
            session_secret="s" * 32,
            support_token="t" * 32,
        )
    ok = Settings(
        _env_file=None,
        environment="production",
        session_secret="s" * 32,
        support_token="t" * 32,
        rasa_token="r" * 32,
    )
    assert ok.environment == "production"


def test_training_device_follows_the_setting():
    import torch

    assert Settings(train_device="cpu").training_device() == "cpu"
    assert Settings(train_device="cuda").training_device() == "cuda"
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert Settings(train_device="auto").training_device() == expected
