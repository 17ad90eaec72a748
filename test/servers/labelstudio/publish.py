"""Publish one notification the way Label Studio's NotificationService does, for trying the
stand-in server by hand (the tests publish from TypeScript: test/support/real-servers.ts).

    /usr/bin/python3 publish.py --redis redis://127.0.0.1:6379/0 user_42 \
        '{"event_type": "ocr.task.assigned", "subject": "s", "message": "m", "task_id": 1}'

`message_time` is a float epoch here; the stream converts it to a naive ISO-8601 local time.
"""
import argparse
import json
import time

import redis


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--redis', default='redis://127.0.0.1:6379/0')
    parser.add_argument('channel')
    parser.add_argument('context', help='JSON object; message_time defaults to now')
    args = parser.parse_args()
    context = json.loads(args.context)
    context.setdefault('message_time', time.time())
    receivers = redis.Redis.from_url(args.redis).publish(args.channel, json.dumps({'context': context}))
    print(f'published to {receivers} subscriber(s)')


if __name__ == '__main__':
    main()
