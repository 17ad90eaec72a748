"""The async Redis pub/sub client the notification stream reads from (Label Studio's
RedisClient): one connection per stream, closed when the stream ends."""
from contextlib import asynccontextmanager
from typing import AsyncIterator

import redis.asyncio as aioredis
from django.conf import settings


class RedisClient:
    def __init__(self, url: str) -> None:
        self.url = url

    def _get_async_client(self) -> aioredis.Redis:
        return aioredis.Redis.from_url(self.url)

    @asynccontextmanager
    async def get_pubsub_client(self) -> AsyncIterator[aioredis.client.PubSub]:
        client = self._get_async_client()
        pubsub = client.pubsub()
        try:
            yield pubsub
        finally:
            await pubsub.close()
            await client.close()


redis_client = RedisClient(settings.REDIS_URL)
