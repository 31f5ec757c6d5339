from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.AuditEntryListView.as_view(), name="list"),
    path("export/", views.AuditExportView.as_view(), name="export"),
    path("<int:entry_id>/", views.AuditEntryDetailView.as_view(), name="entry"),
]
