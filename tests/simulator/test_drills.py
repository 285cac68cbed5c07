"""Double-11 rush drills: stored arrivals, the cap and its queue, the end, the score."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from assessment.models import Assessment
from simulator import drills, runtime, selectors, services
from simulator.models import Assignment, Conversation, Drill, DrillArrival, Message
from tests.conftest import load_version, make_user


@pytest.fixture(autouse=True)
def _customers_in_real_time(settings):
    # A queued customer's patience (3 minutes) runs on the customer's clock: real time here.
    settings.CUSTOMER_TIME_SCALE = 1.0


@pytest.fixture
def travel():
    """One clock for the customer side and the database's timestamps, moved by hand."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def pool(db):
    return [
        load_version("p1-coat-size.zh.yaml"),
        load_version("o1-address-gift-note.zh.yaml"),
        load_version("a1-wrong-colour.zh.yaml"),
    ]


def start(classroom, teacher, pool, **terms):
    terms = {"duration": 120, "cap": 3, "intensity": 12, "seed": 7, **terms}
    return drills.start_drill(classroom, by=teacher, versions=pool, **terms)


def advance(travel, seconds):
    travel.shift(seconds)
    drills.reset()
    runtime.run_due()


def arrive_all_now(drill, student, n, later=100):
    """Make the student's first n customers due now (the rest later), for exact counts."""
    rows = list(DrillArrival.objects.filter(drill=drill, student=student).order_by("number"))
    assert len(rows) >= n
    for index, row in enumerate(rows):
        row.due_at = timezone.now() + timedelta(seconds=0 if index < n else later)
        row.save(update_fields=["due_at"])


def test_starting_a_drill_stores_every_customer_of_every_student(
    classroom, teacher, student, classmate, pool, travel
):
    drill = start(classroom, teacher, pool)

    assert drill.is_running
    assert drill.ends_at - drill.started_at == timedelta(seconds=120)
    for who in (student, classmate):
        rows = DrillArrival.objects.filter(drill=drill, student=who)
        assert 4 <= rows.count() <= 20
        assert {r.scenario_version_id for r in rows} <= {v.pk for v in pool}
        assert all(r.state == DrillArrival.State.PENDING for r in rows)
        # Nobody arrives in the last 2 (curve) minutes: the last 8 s of a 120 s run.
        assert max(r.due_at for r in rows) < drill.ends_at - timedelta(seconds=8)
    # One hidden assignment per scenario of the pool: in the class, not in its lists.
    assert Assignment.every.filter(drill=drill).count() == 3
    assert not classroom.assignments.exists()
    assert selectors.student_assignments(student) == []
    # The same seed plans the same customers.
    times = [
        (r.number, (r.due_at - drill.started_at).total_seconds(), r.scenario_version_id)
        for r in DrillArrival.objects.filter(drill=drill, student=student).order_by("number")
    ]
    drills.stop_drill(drill, by=teacher)
    again = start(classroom, teacher, pool)
    assert times == [
        (r.number, (r.due_at - again.started_at).total_seconds(), r.scenario_version_id)
        for r in DrillArrival.objects.filter(drill=again, student=student).order_by("number")
    ]


def test_customers_beyond_the_cap_queue_and_a_finished_chat_lets_the_next_in(
    classroom, teacher, student, pool, travel
):
    drill = start(classroom, teacher, pool, cap=3)
    arrive_all_now(drill, student, 5)

    advance(travel, 0)
    state = drills.student_state(drill, student.pk)
    assert len(state.active) == 3
    assert state.queued == 2
    chats = list(Conversation.objects.filter(drill=drill).order_by("started_at", "pk"))
    assert all(c.student_id == student.pk and c.is_active for c in chats)
    assert {c.assignment.drill_id for c in chats} == {drill.pk}

    # The queue waits 40 s; then a chat ends and the oldest queued customer enters.
    advance(travel, 40)
    services.end_conversation(chats[0], reason=Conversation.EndReason.STUDENT)
    advance(travel, 1)
    state = drills.student_state(drill, student.pk)
    assert len(state.active) == 3
    assert state.queued == 1
    assert state.served == 1
    entered = Conversation.objects.get(pk=state.active[-1])
    arrival = entered.arrival
    assert arrival.state == DrillArrival.State.ENTERED
    assert entered.started_at == arrival.due_at  # it began when the customer arrived

    # Its first line is stamped at the arrival: the queue counts toward first response.
    advance(travel, 20)
    first = entered.messages.order_by("seq").first()
    assert first.role == Message.Role.CUSTOMER
    assert first.created_at == arrival.due_at
    assert (timezone.now() - first.created_at).total_seconds() >= 60


def test_a_second_pass_or_a_restart_never_lets_a_customer_in_twice(
    classroom, teacher, student, pool, travel
):
    drill = start(classroom, teacher, pool, cap=8)
    arrive_all_now(drill, student, 4)
    advance(travel, 0)
    drills.reset()  # another server process, or this one restarted, runs the same pass
    runtime.run_due()
    runtime.run_due()
    assert Conversation.objects.filter(drill=drill).count() == 4
    assert DrillArrival.objects.filter(drill=drill, state="entered").count() == 4


def test_the_end_of_the_drill_closes_open_chats_scores_them_relaxed_and_drops_the_queue(
    classroom, teacher, student, pool, travel, django_capture_on_commit_callbacks
):
    drill = start(classroom, teacher, pool, cap=1)
    arrive_all_now(drill, student, 3)
    advance(travel, 0)
    advance(travel, 20)  # the first customer has written; answered 20 s after arriving
    (chat,) = Conversation.objects.filter(drill=drill)
    assert chat.messages.filter(role="customer").exists()
    services.post_message(chat, author=student, text="亲，在的，请问有什么可以帮您？")

    with django_capture_on_commit_callbacks(execute=True):
        advance(travel, 120)  # time is up

    drill.refresh_from_db()
    assert drill.state == Drill.State.ENDED
    assert drill.stopped_by is None
    chat.refresh_from_db()
    assert chat.status == Conversation.Status.ENDED
    assert chat.end_reason == Conversation.EndReason.DRILL
    assert set(DrillArrival.objects.filter(drill=drill).values_list("state", flat=True)) <= {
        "entered",
        "dropped",
    }
    assert DrillArrival.objects.filter(drill=drill, state="dropped").count() == 2
    # Scored like any other chat, the response lines ×1.5 (accuracy and promises as ever).
    report = Assessment.objects.get(conversation=chat, current=True).report
    (timing,) = [c for c in report["criteria"] if c["key"] == "response_time"]
    first = next(p for p in timing["parts"] if p["key"] == "first_response")
    assert first["present"]  # 20 s: full marks within 15 × 1.5 s, not within 15 s
    # Nothing arrives after the end, however long the server runs.
    advance(travel, 300)
    assert Conversation.objects.filter(drill=drill).count() == 1


def test_the_teacher_stops_the_drill_and_may_start_another_only_then(
    classroom, teacher, student, pool, travel
):
    drill = start(classroom, teacher, pool)
    with pytest.raises(drills.DrillRunning):
        start(classroom, teacher, pool)
    arrive_all_now(drill, student, 2)
    advance(travel, 0)

    drills.stop_drill(drill, by=teacher)

    drill.refresh_from_db()
    assert drill.state == Drill.State.ENDED
    assert drill.stopped_by == teacher
    assert not Conversation.objects.filter(drill=drill, status="active").exists()
    assert not DrillArrival.objects.filter(drill=drill, state="pending").exists()
    assert start(classroom, teacher, pool).is_running


def test_bad_starts_are_refused_and_store_nothing(classroom, teacher, pool, travel):
    with pytest.raises(drills.NoStudents):
        start(classroom, teacher, pool)
    make_user("s1")
    services.join_classroom(make_user("s2"), code=classroom.join_code)
    with pytest.raises(drills.EmptyPool):
        start(classroom, teacher, [])
    assert not Drill.objects.exists()
    assert not Assignment.every.exists()


def test_the_rush_relaxes_response_lines_only():
    from assessment.scoring.rubric import default_rubric

    rubric = default_rubric("pre_sale")
    relaxed = rubric.in_rush()
    assert relaxed.criterion("response_time").params["rush_factor"] == 1.5
    others = [c for c in relaxed.criteria if c.key != "response_time"]
    assert others == [c for c in rubric.criteria if c.key != "response_time"]


def test_the_board_counts_served_active_queued_and_waits(classroom, teacher, student, pool, travel):
    drill = start(classroom, teacher, pool, cap=2)
    arrive_all_now(drill, student, 3)
    advance(travel, 0)
    advance(travel, 30)
    chats = list(Conversation.objects.filter(drill=drill).order_by("pk"))
    services.post_message(chats[0], author=student, text="您好，请问有什么可以帮您？")
    board = drills.board(drill)
    (row,) = board.rows
    assert (row.active, row.queued, row.served) == (2, 1, 0)
    assert row.waiting_since is not None  # the second customer still waits
    assert row.rate == 100  # one line answered within 3 minutes, none late yet
    assert board.totals.active == 2
    assert 0 < board.seconds_left <= 90


def test_the_workspace_clocks_relax_as_the_scorer_does():
    from assessment.scoring.rubric import RUSH_FACTOR

    assert drills.RUSH_FACTOR == RUSH_FACTOR


def test_a_queued_buyer_gives_up_after_three_minutes_and_a_complaint_waits_on(
    classroom, teacher, student, pool, travel
):
    drill = start(classroom, teacher, pool, cap=1, duration=600)
    arrive_all_now(drill, student, 3, later=500)
    pre_sale, _order, after_sale = pool
    rows = list(DrillArrival.objects.filter(drill=drill, student=student).order_by("number"))
    DrillArrival.objects.filter(pk=rows[1].pk).update(scenario_version=pre_sale)
    DrillArrival.objects.filter(pk=rows[2].pk).update(scenario_version=after_sale)
    advance(travel, 0)
    assert drills.student_state(drill, student.pk).queued == 2
    # The one chat stays open: a teacher plays its customer, who never leaves.
    services.take_over_conversation(Conversation.objects.get(drill=drill), by=teacher)

    advance(travel, 170)
    assert drills.student_state(drill, student.pk).queued == 2
    advance(travel, 15)  # past 3 minutes in the queue

    rows = list(DrillArrival.objects.filter(drill=drill, student=student).order_by("number"))
    assert [r.state for r in rows[:3]] == ["entered", "left", "queued"]
    assert drills.student_state(drill, student.pk).queued == 1
    (row,) = drills.board(drill).rows
    assert row.unanswered == 1  # the buyer who left counts as left unanswered
