from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment import selectors


@require_GET
@login_required
def transcript(request: HttpRequest, conversation_id: int) -> HttpResponse:
    page = selectors.transcript_page_for(request.user, conversation_id)
    return render(request, "assessment/transcript.html", {"page": page})


@require_GET
@login_required
def transcript_export(request: HttpRequest, conversation_id: int) -> HttpResponse:
    data = selectors.transcript_export_for(request.user, conversation_id)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="transcript-{conversation_id}.json"'
    return response
