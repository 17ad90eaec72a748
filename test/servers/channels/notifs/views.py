# Test-only HTTP helpers: a health probe, and a publisher that does what the seed's
# broadcast_notification does (group_send to the user's group).
import json

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.csrf import csrf_exempt


def health(request):
    return HttpResponse("ok")


@csrf_exempt
def publish(request, user_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    data = json.loads(request.body or b"{}")
    async_to_sync(get_channel_layer().group_send)(
        f"user_{user_id}_notifications", {"type": "send_notification", "data": data}
    )
    return JsonResponse({"ok": True})
