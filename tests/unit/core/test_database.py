from core.settings import Settings


def test_database_defaults_to_sqlite_in_the_state_folder(tmp_path):
    assert Settings(_env_file=None, state_dir=tmp_path).database_url == (
        f"sqlite:///{tmp_path / 'aisle.db'}"
    )
    url = "postgresql+psycopg://aisle@db/aisle"
    assert Settings(_env_file=None, database_url=url).database_url == url


def test_creating_the_tables_survives_another_process_creating_them_at_the_same_moment(
    tmp_path, monkeypatch
):
    from sqlalchemy import inspect
    from sqlalchemy.exc import IntegrityError

    from core import database

    settings = Settings(_env_file=None, state_dir=tmp_path)
    create_all = database.Base.metadata.create_all
    calls = []

    def racing(engine, **kwargs):  # the first try loses the race, as a second replica's did
        calls.append(engine)
        if len(calls) == 1:
            create_all(engine, **kwargs)
            raise IntegrityError("CREATE TABLE", {}, Exception("duplicate key: already exists"))
        create_all(engine, **kwargs)

    monkeypatch.setattr(database.Base.metadata, "create_all", racing)
    database.create_tables(settings)
    engine = database.get_engine(settings.database_url or "")
    assert set(database.Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert len(calls) == 2


def test_a_sqlite_uri_names_its_file_not_a_folder_called_file_colon(tmp_path, monkeypatch):
    from sqlalchemy import text

    from core.database import get_engine, sqlite_file

    monkeypatch.chdir(tmp_path)
    database = tmp_path / "store" / "aisle.db"
    assert sqlite_file(f"sqlite:///file:{database}?mode=ro&uri=true") == database
    assert sqlite_file(f"sqlite:///{database}") == database
    assert sqlite_file("sqlite://") is None and sqlite_file("sqlite:///:memory:") is None
    with get_engine(f"sqlite:///file:{database}?mode=rwc&uri=true").connect() as connection:
        assert connection.execute(text("select 1")).scalar() == 1
    assert database.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # no "file:" folder beside it
