from django.urls import path

from notifs import views

urlpatterns = [
    path("health", views.health),
    path("publish/<int:user_id>/", views.publish),
]
