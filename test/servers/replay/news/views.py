"""The replaying SSE stream of seed 004: on every connect it sends the channel's last N
messages again (with their `id:`), ignoring Last-Event-ID, then live messages, with a `retry:`
field and `:` comment heartbeats while idle."""
import json
import queue
from typing import Any, Iterator, Optional

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse, StreamingHttpResponse

from . import sse_utils


def _frame(message: 'dict[str, Any]') -> str:
    lines = [f"id: {message['id']}"]
    if message['event']:
        lines.append(f"event: {message['event']}")
    lines.extend(f'data: {line}' for line in message['data'].split('\n'))
    return '\n'.join(lines) + '\n\n'


def _events(channel: str, last_n: int, heartbeat: float, retry_ms: int) -> Iterator[str]:
    q, backlog = sse_utils.subscribe(channel, last_n)
    try:
        # The retry field rides with the first output, so a quiet channel still sends no
        # headers until its first event or heartbeat, like the real deployment.
        prefix = f'retry: {retry_ms}\n\n' if retry_ms > 0 else ''
        if backlog:
            yield prefix + ''.join(_frame(m) for m in backlog)
            prefix = ''
        while True:
            try:
                message = q.get(timeout=heartbeat if heartbeat > 0 else None)
            except queue.Empty:
                yield prefix + ': heartbeat\n\n'
                prefix = ''
                continue
            yield prefix + _frame(message)
            prefix = ''
    finally:
        sse_utils.unsubscribe(channel, q)


def _number(request: HttpRequest, name: str, default: float) -> float:
    raw = request.GET.get(name)
    return default if raw in (None, '') else float(raw)


def stream(request: HttpRequest, channel: Optional[str] = None) -> HttpResponse:
    if request.method != 'GET':
        return HttpResponseNotAllowed(['GET'])
    channel = channel or request.GET.get('channel', 'news')
    last_n = int(_number(request, 'last_n', 0))
    heartbeat = _number(request, 'heartbeat', settings.SSE_HEARTBEAT_SECONDS)
    retry_ms = int(_number(request, 'retry', settings.SSE_RETRY_MS))
    response = StreamingHttpResponse(_events(channel, last_n, heartbeat, retry_ms), content_type='text/event-stream')
    response['Cache-Control'] = 'no-cache'
    response['X-Accel-Buffering'] = 'no'
    return response


def publish(request: HttpRequest, channel: str) -> HttpResponse:
    if request.method != 'POST':
        return HttpResponseNotAllowed(['POST'])
    try:
        body = json.loads(request.body or b'{}')
        data = body['data']
    except (ValueError, KeyError, TypeError):
        return JsonResponse({'detail': 'expected a JSON body {"data": ..., "event": optional}'}, status=400)
    text = data if isinstance(data, str) else json.dumps(data)
    message_id = sse_utils.publish(channel, text, body.get('event') or None)
    return JsonResponse({'id': message_id}, status=201)


def channel_stats(request: HttpRequest, channel: str) -> HttpResponse:
    return JsonResponse(sse_utils.stats(channel))
