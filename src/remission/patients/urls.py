from django.urls import path

from remission.patients import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("export.csv", views.patient_export, name="export"),
    path("<str:patient_id>/", views.patient_chart, name="chart"),
    path("<str:patient_id>/edit/", views.patient_edit, name="edit"),
    path("<str:patient_id>/log/", views.patient_audit_log, name="audit_log"),
    path(
        "<str:patient_id>/consents/<str:record_id>/file/",
        views.consent_file,
        name="consent_file",
    ),
    path("<str:patient_id>/<slug:kind_slug>/new/", views.record_create, name="record_create"),
    path(
        "<str:patient_id>/<slug:kind_slug>/<str:record_id>/edit/",
        views.record_edit,
        name="record_edit",
    ),
    path(
        "<str:patient_id>/<slug:kind_slug>/<str:record_id>/delete/",
        views.record_delete,
        name="record_delete",
    ),
]
