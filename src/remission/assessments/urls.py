from django.urls import path

from remission.assessments import views

app_name = "assessments"

urlpatterns = [
    path("<str:patient_id>/<slug:instrument_id>/new/", views.scale_entry, name="entry"),
]
