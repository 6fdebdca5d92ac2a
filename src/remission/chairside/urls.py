from django.urls import path

from remission.chairside import views

app_name = "chairside"

urlpatterns = [
    path("<str:session_id>/", views.session_page, name="session"),
    path("<str:session_id>/checks/", views.session_checks, name="checks"),
    path("<str:session_id>/concentration.svg", views.concentration_chart, name="concentration"),
    path("<str:session_id>/checklist/", views.checklist_answer, name="checklist"),
    path("<str:session_id>/vitals/", views.vitals, name="vitals"),
    path("<str:session_id>/scale/<slug:instrument_id>/", views.scale, name="scale"),
    path("<str:session_id>/order/", views.order, name="order"),
    path("<str:session_id>/verify/", views.verify, name="verify"),
    path("<str:session_id>/administer/", views.administer, name="administer"),
    path("<str:session_id>/alerts/<str:alert_id>/ack/", views.acknowledge, name="acknowledge"),
    path("<str:session_id>/adverse-event/", views.adverse_event, name="adverse_event"),
    path("<str:session_id>/note/", views.note, name="note"),
    path("<str:session_id>/not-dosed/", views.not_dosed, name="not_dosed"),
    path(
        "<str:session_id>/discharge/assessment/",
        views.discharge_assessment,
        name="discharge_assessment",
    ),
    path("<str:session_id>/discharge/", views.discharge, name="discharge"),
    path("<str:session_id>/missed-check/", views.missed_check, name="missed_check"),
    path("<str:session_id>/sign/", views.sign, name="sign"),
    path("<str:session_id>/addendum/", views.addendum, name="addendum"),
]
