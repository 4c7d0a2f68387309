import pytest
from pydantic import ValidationError

from core.settings import DEV_SECRET, Settings


def test_defaults_are_for_development(tmp_path):
    settings = Settings(_env_file=None, state_dir=tmp_path)
    assert settings.environment == "development"
    assert settings.rasa_url == "http://127.0.0.1:5005"


def test_development_secrets_are_random_owner_only_and_shared_by_every_process(tmp_path):
    first = Settings(_env_file=None, state_dir=tmp_path)
    again = Settings(_env_file=None, state_dir=tmp_path, support_token="chosen-support-token")
    elsewhere = Settings(_env_file=None, state_dir=tmp_path / "other")
    names = ("session_secret", "support_token", "rasa_token")
    assert len({getattr(first, n) for n in names}) == 3
    assert all(len(getattr(first, n)) >= 32 and getattr(first, n) != DEV_SECRET for n in names)
    assert (tmp_path / "secrets.json").stat().st_mode & 0o777 == 0o600
    assert again.session_secret == first.session_secret
    assert again.support_token == "chosen-support-token"
    assert elsewhere.session_secret != first.session_secret
    tests = Settings(_env_file=None, environment="test", state_dir=tmp_path / "t")
    assert tests.session_secret == DEV_SECRET and not (tmp_path / "t").exists()


def test_the_internal_servers_may_bind_apart_from_the_gateway(tmp_path):
    settings = Settings(
        _env_file=None, state_dir=tmp_path, host="0.0.0.0", internal_host="127.0.0.1"
    )
    assert settings.rasa_url == "http://127.0.0.1:5005"
    assert settings.action_health_url == "http://127.0.0.1:5055/health"
    assert settings.gateway_url == "http://0.0.0.0:8000"


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
