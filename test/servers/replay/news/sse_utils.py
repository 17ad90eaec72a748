"""In-memory SSE channels as in seed 004 (news/sse_utils.py): per-channel subscriber queues
guarded by a lock, plus the history that `last_n` replays. Under gunicorn's gevent worker,
threading and queue are monkey-patched, so a blocked queue.get() yields to other streams."""
import queue
import threading
from collections import defaultdict, deque
from typing import Any, Optional

from django.conf import settings

_sse_channels: 'defaultdict[str, dict[str, Any]]' = defaultdict(
    lambda: {
        'subscribers': [],
        'lock': threading.Lock(),
        'history': deque(maxlen=settings.SSE_HISTORY_SIZE),
        'next_id': 1,
    }
)


def publish(channel: str, data: str, event: Optional[str] = None) -> int:
    ch = _sse_channels[channel]
    with ch['lock']:
        message = {'id': ch['next_id'], 'event': event, 'data': data}
        ch['next_id'] += 1
        ch['history'].append(message)
        subscribers = list(ch['subscribers'])
    for q in subscribers:
        q.put(message)
    return message['id']


def subscribe(channel: str, last_n: int) -> 'tuple[queue.Queue, list[dict[str, Any]]]':
    """Register a subscriber and return the last_n messages to replay, atomically, so nothing
    published in between is either lost or sent twice."""
    ch = _sse_channels[channel]
    q: queue.Queue = queue.Queue()
    with ch['lock']:
        backlog = list(ch['history'])[-last_n:] if last_n > 0 else []
        ch['subscribers'].append(q)
    return q, backlog


def unsubscribe(channel: str, q: queue.Queue) -> None:
    ch = _sse_channels[channel]
    with ch['lock']:
        if q in ch['subscribers']:
            ch['subscribers'].remove(q)


def stats(channel: str) -> 'dict[str, int]':
    ch = _sse_channels[channel]
    with ch['lock']:
        return {
            'subscribers': len(ch['subscribers']),
            'history': len(ch['history']),
            'last_id': ch['next_id'] - 1,
        }
