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
    path(
        "staff/<str:member_id>/reset-password/",
        views.member_reset_password,
        name="member_reset_password",
    ),
    path(
        "invitations/<str:invitation_id>/<str:action>/",
        views.invitation_action,
        name="invitation_action",
    ),
    path("role-requests/<str:grant_id>/", views.grant_decide, name="grant_decide"),
    path("settings/", views.clinic_settings, name="settings"),
]
