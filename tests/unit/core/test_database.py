from core.settings import Settings


def test_database_defaults_to_sqlite_in_the_state_folder(tmp_path):
    assert Settings(_env_file=None, state_dir=tmp_path).database_url == (
        f"sqlite:///{tmp_path / 'aisle.db'}"
    )
    url = "postgresql+psycopg://aisle@db/aisle"
    assert Settings(_env_file=None, database_url=url).database_url == url
