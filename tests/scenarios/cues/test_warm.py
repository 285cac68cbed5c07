"""The server's warm-up compiles every lexicon off the database thread, once."""

from __future__ import annotations

import threading

from scenarios.cues import LANGUAGES, recogniser_for, warm


def test_warm_compiles_every_language_in_a_thread_and_callers_share_the_result():
    thread = warm()
    assert thread.daemon
    assert thread is not threading.current_thread()
    # A caller during the compile waits for it rather than compiling again: same object.
    first = {language: recogniser_for(language) for language in LANGUAGES}
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert all(recogniser_for(language) is first[language] for language in LANGUAGES)
    assert "greet" in recogniser_for("zh-hans").recognise("您好，在的").moves
