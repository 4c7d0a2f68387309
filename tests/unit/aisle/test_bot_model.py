import shutil

from aisle.bot_model import BOT_DIR, fingerprint


def test_fingerprint_follows_training_inputs_only(tmp_path):
    bot = tmp_path / "bot"
    shutil.copytree(BOT_DIR, bot)
    before = fingerprint(bot)
    (bot / "tests" / "extra.yml").write_text("version: '3.1'\n")
    assert fingerprint(bot) == before, "test stories are not training input"
    with (bot / "data" / "nlu.yml").open("a") as nlu:
        nlu.write("\n")
    assert fingerprint(bot) != before
