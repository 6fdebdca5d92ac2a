from django.urls import path

from remission.treatment import views

app_name = "treatment"

urlpatterns = [
    path("patients/<str:patient_id>/", views.overview, name="overview"),
    path("patients/<str:patient_id>/intake/new/", views.intake_new, name="intake_new"),
    path("patients/<str:patient_id>/courses/new/", views.course_new, name="course_new"),
    path("intakes/<str:intake_id>/", views.intake_detail, name="intake"),
    path("intakes/<str:intake_id>/sign/", views.intake_sign, name="intake_sign"),
    path("intakes/<str:intake_id>/addendum/", views.intake_addendum, name="intake_addendum"),
    path("reevaluations/", views.reevaluations, name="reevaluations"),
    path("courses/", views.courses, name="courses"),
    path("courses/<str:course_id>/", views.course_detail, name="course"),
    path("courses/<str:course_id>/phase/", views.course_phase, name="course_phase"),
    path(
        "courses/<str:course_id>/reevaluation/",
        views.course_reevaluation,
        name="course_reevaluation",
    ),
]
