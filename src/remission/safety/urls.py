from django.urls import path

from remission.safety import views

app_name = "safety"

urlpatterns = [
    path("", views.open_list, name="open"),
    path("<str:escalation_id>/", views.escalation, name="escalation"),
    path("patients/<str:patient_id>/", views.patient_history, name="patient"),
]
