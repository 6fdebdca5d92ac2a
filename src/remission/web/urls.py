from django.urls import path

from remission.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("clinics/", views.clinics, name="clinics"),
    path("c/<slug:clinic_slug>/", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
]
