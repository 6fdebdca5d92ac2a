from django.urls import path

from remission.rems import views

app_name = "rems"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("enrollments/new/", views.enrollment_create, name="enroll"),
    path("sessions/<str:session_id>/", views.session_form, name="session"),
    path("sessions/<str:session_id>/form.pdf", views.form_pdf, name="pdf"),
    path("sessions/<str:session_id>/submit/", views.submission_create, name="submit"),
]
