"""Static checks of docker-compose.yml and deploy/Dockerfile (no Docker engine here): the
settings they pass exist and validate in production, and ports, paths and commands agree with
the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from aisle.cli import app
from aisle.rasa_endpoints import endpoints_path, lock_store, tracker_store
from core.settings import REPO_ROOT, Settings

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (REPO_ROOT / "deploy" / "Dockerfile").read_text()
VARIABLE = re.compile(r"\$\{(\w+)(?::\?[^}]*)?\}")


def resolved(value: str) -> str:
    """``${NAME}`` / ``${NAME:?message}`` replaced as a deployer's values would be."""
    return VARIABLE.sub(lambda m: f"{m.group(1).lower()}-value-0123456789", value)


def compose_settings(leave_out: str = "") -> Settings:
    """The settings a container sees: the image's ``ENV`` and then the compose environment."""
    env = dict(re.findall(r"(AISLE_\w+)=(\S+)", DOCKERFILE)) | SERVICES["gateway"]["environment"]
    env.pop(leave_out, None)
    return Settings(_env_file=None, **{n[6:].lower(): resolved(str(v)) for n, v in env.items()})


def argument(command: list[str], flag: str) -> str:
    return command[command.index(flag) + 1]


def test_every_aisle_variable_is_a_setting():
    for service in ("prepare", "actions", "rasa", "gateway"):
        for name in SERVICES[service]["environment"]:
            assert name.startswith("AISLE_")
            assert name[len("AISLE_") :].lower() in Settings.model_fields, (service, name)


def test_the_compose_settings_pass_the_production_checks_and_point_at_the_services():
    settings = compose_settings()
    assert settings.environment == "production"
    assert settings.rasa_url == "http://rasa:5005"
    assert settings.action_url == "http://actions:5055/webhook"
    assert tracker_store(settings.tracker_store_url)["url"] == "postgres"
    assert lock_store(settings.lock_store_url)["url"] == "redis"
    assert settings.chroma_url == "http://chroma:8000"
    assert settings.database_url.startswith("postgresql+psycopg://aisle:")


def test_ports_and_paths_agree_with_the_settings_and_the_image():
    settings = compose_settings()
    assert argument(SERVICES["gateway"]["command"], "--port") == str(settings.gateway_port)
    assert argument(SERVICES["actions"]["command"], "--port") == str(settings.action_port)
    rasa = SERVICES["rasa"]["command"]
    assert argument(rasa, "--port") == str(settings.rasa_port)
    assert argument(rasa, "--endpoints") == str(endpoints_path(settings))
    assert argument(rasa, "--model") == str(settings.rasa_models_dir)
    assert argument(SERVICES["chroma"]["command"], "--port") == "8000"
    assert str(settings.state_dir) == "/app/var"
    assert "state:/app/var" in SERVICES["gateway"]["volumes"]
    assert str(settings.data_dir) == "/data"
    assert any(v.endswith(":/data:ro") for v in SERVICES["prepare"]["volumes"])


def test_commands_and_files_exist():
    assert "--enable-api" in SERVICES["rasa"]["command"]
    working = Path(SERVICES["rasa"]["working_dir"].replace("/app", str(REPO_ROOT)))
    assert (working / "serve.py").is_file() and (working / "credentials.yml").is_file()
    assert SERVICES["prepare"]["command"] == ["aisle", "prepare"]
    assert "prepare" in {command.name for command in app.registered_commands}
    assert (REPO_ROOT / "gateway" / "main.py").is_file()
    for copied in re.findall(r"^COPY (\S+) ", DOCKERFILE, re.MULTILINE):
        assert (REPO_ROOT / copied).exists(), copied
    for lock in ("app.lock", "rasa.lock"):
        assert f"requirements/{lock}" in DOCKERFILE


def test_dependencies_name_services_and_secrets_are_required():
    for name, service in SERVICES.items():
        for needed in service.get("depends_on", {}):
            assert needed in SERVICES, (name, needed)
    env = SERVICES["gateway"]["environment"]
    for secret in ("AISLE_SESSION_SECRET", "AISLE_SUPPORT_TOKEN", "AISLE_RASA_TOKEN"):
        assert re.fullmatch(r"\$\{\w+:\?.+\}", env[secret]), secret  # no default: must be set


@pytest.mark.parametrize("secret", ["AISLE_SESSION_SECRET", "AISLE_RASA_TOKEN"])
def test_a_missing_secret_would_be_refused_by_the_settings(secret: str):
    with pytest.raises(ValueError, match="production"):
        compose_settings(leave_out=secret)
