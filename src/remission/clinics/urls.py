from django.urls import path

from remission.clinics import views

app_name = "clinics"

urlpatterns = [
    path("staff/", views.members, name="members"),
    path("staff/<str:member_id>/", views.member_edit, name="member_edit"),
    path(
        "staff/<str:member_id>/reset-two-factor/",
        views.member_reset_two_factor,
        name="member_reset_two_factor",
    ),
    path("settings/", views.clinic_settings, name="settings"),
]
