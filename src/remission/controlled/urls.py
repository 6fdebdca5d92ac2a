from django.urls import path

from remission.controlled import views

app_name = "controlled"

urlpatterns = [
    path("", views.inventory, name="inventory"),
    path("products/new/", views.product_create, name="product_create"),
    path("receive/", views.receive, name="receive"),
    path("dispense/", views.dispense, name="dispense"),
    path("waste/", views.waste, name="waste"),
    path("return/", views.return_stock, name="return"),
    path("count/", views.count, name="count"),
    path("adjust/", views.adjust, name="adjust"),
    path("lots/<str:lot_id>/", views.lot_ledger, name="lot"),
    path("reconciliation/", views.reconciliation, name="reconciliation"),
    path("ledger.csv", views.ledger_export, name="export"),
]
