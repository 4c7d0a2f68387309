import pytest

from core.settings import Settings


@pytest.fixture()
def settings(tmp_path) -> Settings:
    return Settings(_env_file=None, environment="test", state_dir=tmp_path)
