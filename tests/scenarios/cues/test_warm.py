"""The server's warm-up compiles every lexicon off the database thread."""

from __future__ import annotations

import threading

from scenarios.cues import LANGUAGES, recogniser_for, warm


def test_warm_compiles_every_language_in_a_thread_and_callers_share_the_result():
    thread = warm()
    assert thread.daemon
    assert thread is not threading.current_thread()
    thread.join(timeout=120)
    assert not thread.is_alive()
    # What it compiled is the cache every caller reads.
    assert all(recogniser_for(language) is recogniser_for(language) for language in LANGUAGES)
    assert recogniser_for.cache_info().currsize >= len(LANGUAGES)
    assert "greet" in recogniser_for("zh-hans").recognise("您好，在的").moves
