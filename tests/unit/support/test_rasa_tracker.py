"""Each turn's parse read from Rasa's SQL tracker store (support/rasa_tracker.py)."""

from pathlib import Path

from core.settings import Settings
from support.rasa_tracker import RasaTrackers
from tests.helpers.rasa_store import append_event, append_user_message


def test_the_latest_parse_is_the_senders_newest_user_event(tmp_path: Path):
    settings = Settings(_env_file=None, state_dir=tmp_path)
    append_user_message(settings, "web-a", "show me tea", "search_products")
    append_user_message(settings, "web-b", "hello", "greet")
    append_user_message(settings, "web-a", "cheaper", "refine")
    append_event(settings, "web-a", {"event": "bot", "text": "Here are cheaper teas"})
    append_user_message(settings, "web-b", "bye", "goodbye")
    parse = RasaTrackers(settings).latest_parse("web-a")
    assert parse["text"] == "cheaper" and parse["intent"]["name"] == "refine"
    assert RasaTrackers(settings).latest_parse("web-c") == {}


def test_no_tracker_store_yet_gives_an_empty_parse(tmp_path: Path):
    assert RasaTrackers(Settings(_env_file=None, state_dir=tmp_path)).latest_parse("web-a") == {}
