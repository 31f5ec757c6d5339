"""Pages under /o/<org_slug>/praise/."""

from django.urls import path

from . import views

app_name = "rewards"

urlpatterns = [
    path("", views.PraiseFeedView.as_view(), name="praise_feed"),
    path("give/", views.GivePraiseView.as_view(), name="praise_give"),
    path("<int:praise_id>/", views.PraiseDetailView.as_view(), name="praise_detail"),
    path("<int:praise_id>/remove/", views.RemovePraiseView.as_view(), name="praise_remove"),
    path("values/", views.ValuesView.as_view(), name="values"),
    path("values/<int:value_id>/", views.ValueEditView.as_view(), name="value_edit"),
]
