from django.conf import settings
from django.http import HttpRequest


def demo(request: HttpRequest) -> dict[str, bool]:
    return {"show_demo_logins": settings.SHOW_DEMO_LOGINS}
