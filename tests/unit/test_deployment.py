"""Static checks of docker-compose.yml and the images (deploy/): the settings they pass exist
and validate in production; ports, paths and commands agree with the code; every server restarts
and has a health check. `make test-deploy` runs them for real under Docker."""

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
DEPLOY = REPO_ROOT / "deploy"
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()
VARIABLE = re.compile(r"\$\{(\w+)(?::\?[^}]*|:-([^}]*))?\}")
SERVERS = ("chroma", "actions", "rasa", "gateway")  # the long-running Aisle services


def resolved(value: str) -> str:
    """``${NAME}`` / ``${NAME:?message}`` replaced as a deployer's values would be,
    ``${NAME:-default}`` by its default."""
    return VARIABLE.sub(lambda m: m.group(2) or f"{m.group(1).lower()}-value-0123456789", value)


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
    runtime = (DEPLOY / "runtime.Dockerfile").read_text()
    for lock in ("app.lock", "rasa.lock"):
        assert f"/locks/{lock}" in runtime
    assert (REPO_ROOT / SERVICES["actions"]["command"][1]).is_file()


def test_every_server_restarts_and_is_checked_and_waits_for_what_it_needs():
    images = (DEPLOY / "images.sh").read_text()
    for name, service in SERVICES.items():
        assert service["image"].split(":")[0] in images, name  # built without a registry
        if name == "prepare":
            assert service["restart"] == "no" and service["healthcheck"] == {"disable": True}
            continue
        assert service["restart"] == "unless-stopped", name
        probe = service["healthcheck"]["test"]
        assert probe[0] == "CMD", name
        if "probe.py" in " ".join(probe):
            assert (REPO_ROOT / "deploy" / "probe.py").is_file()
        for needed, condition in service.get("depends_on", {}).items():
            wanted = "service_completed_successfully" if needed == "prepare" else "service_healthy"
            assert condition == {"condition": wanted}, (name, needed)
    assert SERVICES["actions"]["deploy"]["replicas"] >= 2
    for name in ("actions", "rasa", "gateway"):
        assert "prepare" in SERVICES[name]["depends_on"] or "rasa" in SERVICES[name]["depends_on"]


def test_health_checks_probe_the_port_each_server_listens_on():
    for name in SERVERS:
        command, probe = SERVICES[name]["command"], " ".join(SERVICES[name]["healthcheck"]["test"])
        port = command[command.index("--port") + 1]
        assert f"127.0.0.1:{port}/" in probe, name


def test_the_image_runs_as_a_user_and_has_a_health_check():
    assert re.search(r"^USER (?!root)\w+", DOCKERFILE, re.MULTILINE)
    assert re.search(r"^HEALTHCHECK .*\n?.*CMD", DOCKERFILE, re.MULTILINE)
    for target in ("postgres", "redis"):  # the engines too
        stage = (DEPLOY / "engines.Dockerfile").read_text().split(f"AS {target}")[1]
        assert re.search(r"^USER (?!root)\w+", stage, re.MULTILINE), target


def test_the_deploy_test_only_shortens_the_preparation():
    test = yaml.safe_load((DEPLOY / "compose.test.yml").read_text())["services"]
    assert set(test) == {"prepare"}
    assert test["prepare"]["command"][-1].endswith("&& aisle prepare")


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
