# NotificationConsumer as seed 002 writes it: anonymous sockets are closed before accept (the
# handshake answers 403); others join `user_<id>_notifications` and receive
# json.dumps(event["data"]) for every group message.
import json

from channels.generic.websocket import AsyncWebsocketConsumer


class NotificationConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        if self.scope["user"].is_anonymous:
            await self.close()
        else:
            self.group_name = f"user_{self.scope['user'].id}_notifications"
            await self.channel_layer.group_add(self.group_name, self.channel_name)
            await self.accept()

    async def disconnect(self, close_code):
        if hasattr(self, "group_name"):
            try:
                await self.channel_layer.group_discard(self.group_name, self.channel_name)
            except Exception:
                pass

    async def send_notification(self, event):
        await self.send(text_data=json.dumps(event["data"]))
