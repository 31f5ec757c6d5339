from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("scales/", views.ScaleListView.as_view(), name="scales"),
    path("scales/new/", views.ScaleCreateView.as_view(), name="scale_create"),
    path("scales/<int:scale_id>/", views.ScaleEditView.as_view(), name="scale_edit"),
]
