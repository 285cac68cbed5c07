from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from simulator import drill_views, monitor, peer_views, quick_reply_views, views

simulator_patterns = [
    path("", views.home, name="home"),
    path("join/", views.join_classroom, name="join_classroom"),
    path("classrooms/new/", views.create_classroom, name="create_classroom"),
    path("classrooms/<int:classroom_id>/", views.classroom, name="classroom"),
    path(
        "classrooms/<int:classroom_id>/students/<int:student_id>/unlock/",
        views.unlock_student,
        name="unlock_student",
    ),
    path(
        "classrooms/<int:classroom_id>/activity/",
        views.classroom_activity,
        name="classroom_activity",
    ),
    path("classrooms/<int:classroom_id>/rename/", views.rename_classroom, name="rename_classroom"),
    path(
        "classrooms/<int:classroom_id>/archive/", views.archive_classroom, name="archive_classroom"
    ),
    path(
        "classrooms/<int:classroom_id>/restore/", views.restore_classroom, name="restore_classroom"
    ),
    path("classrooms/<int:classroom_id>/join-code/", views.new_join_code, name="new_join_code"),
    path("classrooms/<int:classroom_id>/students/add/", views.add_students, name="add_students"),
    path(
        "classrooms/<int:classroom_id>/students/<int:student_id>/remove/",
        views.remove_student,
        name="remove_student",
    ),
    path(
        "classrooms/<int:classroom_id>/students/<int:student_id>/password/",
        views.reset_password,
        name="reset_password",
    ),
    path(
        "classrooms/<int:classroom_id>/co-teachers/add/",
        views.add_co_teacher,
        name="add_co_teacher",
    ),
    path(
        "classrooms/<int:classroom_id>/co-teachers/<int:teacher_id>/remove/",
        views.remove_co_teacher,
        name="remove_co_teacher",
    ),
    path("assignments/<int:assignment_id>/edit/", views.edit_assignment, name="edit_assignment"),
    path(
        "assignments/<int:assignment_id>/delete/",
        views.delete_assignment,
        name="delete_assignment",
    ),
    path("assignments/<int:assignment_id>/move/", views.move_assignment, name="move_assignment"),
    path("assignments/<int:assignment_id>/start/", views.start_attempt, name="start_attempt"),
    path("conversations/<int:conversation_id>/", views.workspace, name="workspace"),
    path("monitor/", monitor.monitor, name="monitor"),
    path("classrooms/<int:classroom_id>/drill/", drill_views.start_drill, name="start_drill"),
    path("drills/<int:drill_id>/", drill_views.drill, name="drill"),
    path("drills/<int:drill_id>/board/", drill_views.drill_board, name="drill_board"),
    path("drills/<int:drill_id>/stop/", drill_views.stop_drill, name="stop_drill"),
    path("drills/<int:drill_id>/play/", drill_views.drill_workspace, name="drill_workspace"),
    path("drills/<int:drill_id>/play/state/", drill_views.drill_state, name="drill_state"),
    path(
        "drills/<int:drill_id>/play/<int:chat_id>/",
        drill_views.drill_chat,
        name="drill_chat",
    ),
    path("conversations/<int:conversation_id>/watch/", monitor.watch, name="watch"),
    # Role-play with a classmate as the customer (simulator/peer_views.py).
    path("classrooms/<int:classroom_id>/pair/", peer_views.pair_classmates, name="pair_classmates"),
    path(
        "assignments/<int:assignment_id>/invite/",
        peer_views.invite_classmate,
        name="invite_classmate",
    ),
    path("invites/", peer_views.invites_panel, name="invites"),
    path("invites/<int:invite_id>/accept/", peer_views.accept_invite, name="accept_invite"),
    path("invites/<int:invite_id>/decline/", peer_views.decline_invite, name="decline_invite"),
    path("invites/<int:invite_id>/withdraw/", peer_views.withdraw_invite, name="withdraw_invite"),
    path(
        "conversations/<int:conversation_id>/customer/",
        peer_views.customer_seat,
        name="customer_seat",
    ),
    path(
        "classrooms/<int:classroom_id>/quick-replies/",
        quick_reply_views.class_quick_replies,
        name="class_quick_replies",
    ),
    path("quick-replies/", quick_reply_views.my_quick_replies, name="my_quick_replies"),
    path(
        "quick-replies/preview/",
        quick_reply_views.quick_reply_preview,
        name="quick_reply_preview",
    ),
    path(
        "quick-replies/<int:reply_id>/edit/",
        quick_reply_views.edit_quick_reply,
        name="edit_quick_reply",
    ),
    path(
        "quick-replies/<int:reply_id>/delete/",
        quick_reply_views.delete_quick_reply,
        name="delete_quick_reply",
    ),
    path(
        "quick-replies/<int:reply_id>/move/",
        quick_reply_views.move_quick_reply,
        name="move_quick_reply",
    ),
    path("language/", views.set_language, name="set_language"),
    path("lexicon/", views.lexicon, name="lexicon"),
    path("lexicon/preview/", views.lexicon_preview, name="lexicon_preview"),
    path("lexicon/<int:cue_id>/remove/", views.lexicon_remove, name="lexicon_remove"),
    path("testplay/<int:scenario_id>/", views.testplay, name="testplay"),
    # Served by Channels (simulator.routing); named here so pages can reverse it.
    path("ws/workspace/", views.socket_placeholder, name="socket"),
]

urlpatterns = [
    path("", include((simulator_patterns, "simulator"))),
    path("assessment/", include("assessment.urls")),
    path("scenarios/", include("scenarios.urls")),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("admin/", admin.site.urls),
]
