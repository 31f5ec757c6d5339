from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.EndpointListView.as_view(), name="list"),
    path("new/", views.EndpointCreateView.as_view(), name="create"),
    path("<int:webhook_id>/", views.EndpointDetailView.as_view(), name="detail"),
    path("<int:webhook_id>/switch/", views.EndpointSwitchView.as_view(), name="switch"),
    path("<int:webhook_id>/rotate/", views.EndpointRotateView.as_view(), name="rotate"),
    path(
        "deliveries/<int:delivery_id>/redeliver/",
        views.DeliveryRedeliverView.as_view(),
        name="redeliver",
    ),
]
