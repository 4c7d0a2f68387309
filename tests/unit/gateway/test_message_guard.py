from gateway.message_guard import check_message


def test_empty_and_blank_messages_get_a_polite_reply():
    for raw in ["", "   ", "\n\t", "\x00\x07"]:
        verdict = check_message(raw, 100)
        assert verdict.text is None
        assert "empty" in verdict.reply


def test_oversized_message_is_refused_politely():
    verdict = check_message("a" * 10_000, 1000)
    assert verdict.text is None
    assert "1000 characters" in verdict.reply


def test_message_is_cleaned_not_altered():
    verdict = check_message("  <b>shampoo</b>\x07 😀 ", 100)
    assert verdict.text == "<b>shampoo</b> 😀"
    assert verdict.reply is None
