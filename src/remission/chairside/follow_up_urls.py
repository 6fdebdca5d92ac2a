from django.urls import path

from remission.chairside import follow_up_views as views

app_name = "follow_up"

urlpatterns = [
    path("", views.worklist, name="list"),
    path("<str:call_id>/", views.call, name="call"),
]
