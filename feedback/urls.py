"""Pages under /o/<org_slug>/: checkins/, feedback/ and coaching/."""

from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("checkins/", views.MyCheckInView.as_view(), name="checkin_mine"),
    path("checkins/review/", views.CheckInReviewsView.as_view(), name="checkin_reviews"),
    path("checkins/settings/", views.CadenceSettingsView.as_view(), name="checkin_settings"),
    path("checkins/<int:checkin_id>/", views.CheckInDetailView.as_view(), name="checkin_detail"),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback_received"),
    path("feedback/given/", views.FeedbackGivenView.as_view(), name="feedback_given"),
    path("feedback/team/", views.FeedbackTeamView.as_view(), name="feedback_team"),
    path("feedback/give/", views.GiveFeedbackView.as_view(), name="feedback_give"),
    path("feedback/give/audience/", views.FeedbackAudienceView.as_view(), name="feedback_audience"),
    path("feedback/<int:feedback_id>/", views.FeedbackDetailView.as_view(), name="feedback_detail"),
    path("feedback/requests/", views.RequestListView.as_view(), name="request_list"),
    path("feedback/requests/new/", views.RequestNewView.as_view(), name="request_new"),
    path(
        "feedback/requests/<int:feedback_request_id>/",
        views.RequestDetailView.as_view(),
        name="request_detail",
    ),
    path(
        "feedback/requests/<int:feedback_request_id>/decline/",
        views.RequestDeclineView.as_view(),
        name="request_decline",
    ),
    path(
        "coaching/people/<int:member_id>/",
        views.CoachingPersonView.as_view(),
        name="coaching_person",
    ),
    path(
        "coaching/<int:coaching_record_id>/",
        views.CoachingDetailView.as_view(),
        name="coaching_detail",
    ),
]
