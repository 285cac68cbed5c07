"""Receivers of Django's own signals. The project defines one signal (DESIGN.md); these only
listen to django.contrib.auth's, where no view of ours is on the path (the admin's logout)."""

from __future__ import annotations

from typing import Any

from simulator import services


def close_sockets_on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:  # logging out without being signed in
        services.close_user_sockets(user)
