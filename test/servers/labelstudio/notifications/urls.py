"""Label Studio's notification stream, copied from seed 000 (label_studio/notifications/urls.py).

Keep `streamed_events` and `events` exactly as the seed shows them: the point of this server is
to reproduce the real deployment's behaviour, including its flaws (no headers before the first
event, no heartbeats, a generator that dies for good on a Redis error or a malformed message).
Only `token_required` is added, as Label Studio's API authentication would add it.
"""
import asyncio
import json
from datetime import datetime
from typing import AsyncGenerator

from django.http import HttpRequest, HttpResponseNotAllowed, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import path

from .auth import token_required
from .redis_client import redis_client


async def streamed_events(event_name: str, request: HttpRequest) -> AsyncGenerator[str, None]:
    """Listen for events and generate an SSE message for each event"""
    try:
        async with redis_client.get_pubsub_client() as pubsub:
            await pubsub.subscribe(event_name)
            while True:
                msg = await pubsub.get_message(ignore_subscribe_messages=True, timeout=None)
                if msg is None:
                    continue

                data = json.loads(msg['data'])
                ctx = data['context']
                msg_time = datetime.fromtimestamp(ctx['message_time']).isoformat().__str__()
                ctx['message_time'] = msg_time

                yield f'data: {json.dumps(ctx)}\n\n'
    except asyncio.CancelledError:
        raise


@token_required
def events(request: HttpRequest, event_name: str) -> HttpResponseBase:
    """Start an SSE connection for event_name"""
    if request.method != 'GET':
        return HttpResponseNotAllowed(['GET'])

    return StreamingHttpResponse(
        streaming_content=streamed_events(event_name, request),
        content_type='text/event-stream',
    )


urlpatterns = [
    path('events/<str:event_name>', events),
]
