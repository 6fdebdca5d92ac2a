from django.urls import path

from remission.accounts import account_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("two-factor/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("profile/", account_views.profile, name="profile"),
    path("password/", account_views.password_change, name="password_change"),
    path("two-factor/recovery-codes/", account_views.recovery_codes, name="recovery_codes"),
    path("invitation/<str:token>/", account_views.invitation, name="invitation"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
