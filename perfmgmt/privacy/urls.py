from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("people/<int:member_id>/", views.PersonalDataView.as_view(), name="person"),
    path(
        "people/<int:member_id>/exports/",
        views.ExportRequestView.as_view(),
        name="export_request",
    ),
    path("people/<int:member_id>/erase/", views.ErasureView.as_view(), name="erase"),
    path(
        "exports/<int:export_id>/download/",
        views.ExportDownloadView.as_view(),
        name="export_download",
    ),
]
