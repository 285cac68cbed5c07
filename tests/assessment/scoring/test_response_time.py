from assessment.scoring.response_time import (
    AVERAGE_LINES,
    FIRST_RESPONSE_LINES,
    band,
    response_times,
)
from assessment.scoring.transcript import Line, Transcript


def chat(*lines: tuple[str, float]) -> Transcript:
    return Transcript(
        tuple(Line(seq=i, role=role, text="…", at=at) for i, (role, at) in enumerate(lines, 1))
    )


def test_first_response_counts_from_the_customers_first_line():
    times = response_times(chat(("customer", 0), ("agent", 12), ("customer", 20), ("agent", 50)))

    assert times.first_response == 12
    assert times.average == 21


def test_a_nudge_does_not_restart_the_clock():
    times = response_times(chat(("customer", 0), ("customer", 30), ("agent", 45)))

    assert times.first_response == 45
    assert times.waits[0].customer_seq == 1


def test_a_final_unanswered_line_counts_unless_the_customer_left():
    transcript = chat(("customer", 0), ("agent", 5), ("customer", 9))

    assert response_times(transcript).unanswered == 1
    assert response_times(transcript, customer_left=True).unanswered == 0


def test_agent_speaking_first_is_not_a_response():
    times = response_times(chat(("agent", 0), ("customer", 3), ("agent", 8)))

    assert [w.seconds for w in times.waits] == [5]


def test_empty_transcript_has_no_times():
    times = response_times(Transcript(()))

    assert times.first_response is None
    assert times.average is None


def test_bands_follow_the_domain_rubric():
    assert band(15, FIRST_RESPONSE_LINES) == "good"
    assert band(45, FIRST_RESPONSE_LINES) == "fair"
    assert band(61, FIRST_RESPONSE_LINES) == "poor"
    assert band(None, AVERAGE_LINES) == "none"
