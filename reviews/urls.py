from django.urls import path

from .views import setup as views

app_name = "reviews"

urlpatterns = [
    path("scales/", views.ScaleListView.as_view(), name="scales"),
    path("scales/new/", views.ScaleCreateView.as_view(), name="scale_create"),
    path("scales/<int:scale_id>/", views.ScaleEditView.as_view(), name="scale_edit"),
    path("templates/", views.TemplateListView.as_view(), name="templates"),
    path("templates/<int:template_id>/", views.TemplateView.as_view(), name="template"),
    path(
        "templates/<int:template_id>/questions/",
        views.QuestionAddView.as_view(),
        name="question_add",
    ),
    path(
        "templates/sections/<int:section_id>/delete/",
        views.SectionDeleteView.as_view(),
        name="section_delete",
    ),
    path(
        "templates/questions/<int:question_id>/delete/",
        views.QuestionDeleteView.as_view(),
        name="question_delete",
    ),
]
