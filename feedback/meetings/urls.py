"""1:1 pages under /o/<org_slug>/one-on-ones/."""

from django.urls import path

from . import views

app_name = "one_on_ones"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("series/<int:series_id>/", views.SeriesView.as_view(), name="series"),
    path("meetings/<int:meeting_id>/", views.MeetingView.as_view(), name="meeting"),
    path(
        "meetings/<int:meeting_id>/status/",
        views.MeetingStatusView.as_view(),
        name="meeting_status",
    ),
    path(
        "meetings/<int:meeting_id>/talking-points/",
        views.TalkingPointAddView.as_view(),
        name="talking_point_add",
    ),
    path("meetings/<int:meeting_id>/notes/", views.SharedNotesView.as_view(), name="shared_notes"),
    path(
        "meetings/<int:meeting_id>/private-notes/",
        views.PrivateNoteAddView.as_view(),
        name="private_note_add",
    ),
    path(
        "meetings/<int:meeting_id>/action-items/",
        views.ActionItemAddView.as_view(),
        name="action_item_add",
    ),
    path(
        "talking-points/<int:talking_point_id>/",
        views.TalkingPointChangeView.as_view(),
        name="talking_point_change",
    ),
    path(
        "private-notes/<int:private_note_id>/",
        views.PrivateNoteChangeView.as_view(),
        name="private_note_change",
    ),
    path(
        "action-items/<int:action_item_id>/done/",
        views.ActionItemDoneView.as_view(),
        name="action_item_done",
    ),
]
