from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:notification_id>/read/", views.MarkReadView.as_view(), name="read"),
    path("read-all/", views.MarkAllReadView.as_view(), name="read_all"),
    path("badge/", views.BadgeView.as_view(), name="badge"),
    path("deliveries/", views.EmailDeliveriesView.as_view(), name="deliveries"),
    path(
        "deliveries/resend-failed/",
        views.EmailResendFailedView.as_view(),
        name="deliveries_resend_failed",
    ),
    path(
        "deliveries/<int:notification_id>/resend/",
        views.EmailResendView.as_view(),
        name="deliveries_resend",
    ),
]
