import subprocess
import sys
from pathlib import Path

import yaml

from aisle.rasa_endpoints import endpoints_path, write_endpoints
from aisle.stack import MATH_THREAD_VARIABLES, Stack
from core.settings import Settings

TOKEN = "t" * 40


def test_rasa_token_is_passed_in_the_environment_not_on_the_command_line(tmp_path: Path):
    stack = Stack(Settings(_env_file=None, rasa_token=TOKEN, state_dir=tmp_path), Path("m.tar.gz"))
    rasa = stack.services["rasa"]
    assert not any(TOKEN in part for part in rasa.command)
    assert rasa.command[1] == "serve.py" and (rasa.cwd / "serve.py").is_file()
    assert stack.env["AISLE_RASA_TOKEN"] == TOKEN


def test_launcher_refuses_to_start_rasa_without_a_token(tmp_path: Path):
    settings = Settings(_env_file=None)
    stack = Stack(settings.model_copy(update={"state_dir": tmp_path}), Path("m.tar.gz"))
    env = {k: v for k, v in stack.env.items() if k != "AISLE_RASA_TOKEN"}
    done = subprocess.run(
        [str(settings.rasa_python), "serve.py", "--version"],
        cwd=stack.services["rasa"].cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "AISLE_RASA_TOKEN is not set" in done.stderr


def test_the_gateway_binds_to_host_and_the_internal_servers_to_internal_host(tmp_path: Path):
    settings = Settings(
        _env_file=None, state_dir=tmp_path, host="0.0.0.0", internal_host="127.0.0.2"
    )
    stack = Stack(settings, Path("m.tar.gz"))
    gateway, rasa = stack.services["gateway"].command, stack.services["rasa"].command
    assert gateway[gateway.index("--host") + 1] == "0.0.0.0"
    assert rasa[rasa.index("--interface") + 1] == "127.0.0.2"
    assert stack.env["SANIC_HOST"] == "127.0.0.2"


def test_rasa_replicas_are_services_of_their_own_on_consecutive_ports(tmp_path: Path):
    settings = Settings(_env_file=None, state_dir=tmp_path, rasa_port=7000, rasa_replicas=3)
    stack = Stack(settings, Path("m.tar.gz"))
    replicas = [name for name in stack.services if name.startswith("rasa")]
    assert replicas == ["rasa", "rasa-2", "rasa-3"]
    ports = [stack.services[name].command for name in replicas]
    assert [c[c.index("--port") + 1] for c in ports] == ["7000", "7001", "7002"]
    assert stack.services["rasa-3"].health_url == "http://127.0.0.1:7002/"


def test_each_shopper_always_goes_to_the_same_replica_and_all_replicas_get_shoppers(
    tmp_path: Path,
):
    settings = Settings(_env_file=None, state_dir=tmp_path, rasa_port=7000, rasa_replicas=2)
    shoppers = [f"web-{n}" for n in range(200)]
    first = [settings.rasa_url_for(s) for s in shoppers]
    assert first == [settings.rasa_url_for(s) for s in shoppers]  # stable
    assert 70 < first.count("http://127.0.0.1:7001") < 130  # spread over both
    one = Settings(_env_file=None, state_dir=tmp_path, rasa_port=7000)
    assert {one.rasa_url_for(s) for s in shoppers} == {"http://127.0.0.1:7000"}


def test_each_rasa_start_writes_the_endpoints_of_its_own_stack(tmp_path: Path):
    plain = Stack(Settings(_env_file=None, state_dir=tmp_path), Path("m.tar.gz"))
    # another stack on the same state folder wrote its endpoints: its Rasa on PostgreSQL
    write_endpoints(
        Settings(_env_file=None, state_dir=tmp_path, tracker_store_url="postgresql://u@db/a")
    )
    plain.services["rasa"].command = [sys.executable, "-c", "pass"]
    plain.start_service("rasa", wait=False)
    plain.stop()
    written = yaml.safe_load(endpoints_path(plain.settings).read_text())
    assert written["tracker_store"]["dialect"] == "sqlite"


def test_every_server_gets_the_configured_math_library_threads(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "8")  # the setting wins over the caller's shell
    stack = Stack(Settings(_env_file=None, state_dir=tmp_path, server_threads=3), Path("m"))
    threads = {name: stack.env[name] for name in MATH_THREAD_VARIABLES}
    assert threads == {name: "3" for name in MATH_THREAD_VARIABLES}
    assert set(MATH_THREAD_VARIABLES) >= {"OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"}
