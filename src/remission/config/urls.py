from django.urls import include, path

from remission.api.urls import api

urlpatterns = [
    path("accounts/", include("remission.accounts.urls")),
    path("api/v1/", api.urls),
    path("c/<slug:clinic_slug>/patients/", include("remission.patients.urls")),
    path("c/<slug:clinic_slug>/admin/", include("remission.clinics.urls")),
    path("c/<slug:clinic_slug>/audit/", include("remission.clinics.audit_urls")),
    path("c/<slug:clinic_slug>/", include("remission.scheduling.urls")),
    path("c/<slug:clinic_slug>/treatment/", include("remission.treatment.urls")),
    path("c/<slug:clinic_slug>/sessions/", include("remission.chairside.urls")),
    path("c/<slug:clinic_slug>/follow-up/", include("remission.chairside.follow_up_urls")),
    path("c/<slug:clinic_slug>/assessments/", include("remission.assessments.urls")),
    path("c/<slug:clinic_slug>/controlled/", include("remission.controlled.urls")),
    path("c/<slug:clinic_slug>/rems/", include("remission.rems.urls")),
    path("c/<slug:clinic_slug>/safety/", include("remission.safety.urls")),
    path("", include("remission.web.urls")),
]

handler403 = "remission.web.errors.forbidden"
handler404 = "remission.web.errors.not_found"
handler500 = "remission.web.errors.server_error"
