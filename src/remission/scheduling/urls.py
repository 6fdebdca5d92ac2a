from django.urls import path

from remission.scheduling import views

app_name = "scheduling"

# Mounted at /c/<clinic>/ so the booking screens keep the addresses they had.
urlpatterns = [
    path("sessions/today/", views.board, name="board"),
    path("sessions/<str:session_id>/check-in/", views.check_in, name="check_in"),
    path("sessions/<str:session_id>/reschedule/", views.reschedule, name="reschedule"),
    path("treatment/calendar/", views.calendar, name="calendar"),
    path("treatment/calendar/settings/", views.calendar_settings, name="calendar_settings"),
    path("treatment/shifts/", views.shifts, name="shifts"),
    path("sessions/visits/new/", views.book_visit, name="book_visit"),
]
