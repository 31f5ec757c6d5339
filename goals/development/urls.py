from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:plan_id>/", views.PlanView.as_view(), name="plan"),
    path("plans/<int:plan_id>/edit/", views.PlanEditView.as_view(), name="plan_edit"),
    path("plans/<int:plan_id>/submit/", views.PlanSubmitView.as_view(), name="plan_submit"),
    path("plans/<int:plan_id>/comment/", views.PlanCommentView.as_view(), name="plan_comment"),
    path("plans/<int:plan_id>/agree/", views.PlanAgreeView.as_view(), name="plan_agree"),
    path("plans/<int:plan_id>/close/", views.PlanCloseView.as_view(), name="plan_close"),
    path("plans/<int:plan_id>/objectives/", views.ObjectiveAddView.as_view(), name="objective_add"),
    path(
        "objectives/<int:objective_id>/", views.ObjectiveEditView.as_view(), name="objective_edit"
    ),
    path(
        "plans/<int:plan_id>/competencies/",
        views.PlanCompetencyAddView.as_view(),
        name="plan_competency_add",
    ),
    path(
        "plans/<int:plan_id>/competencies/remove/",
        views.PlanCompetencyRemoveView.as_view(),
        name="plan_competency_remove",
    ),
    path("plans/<int:plan_id>/actions/", views.ActionAddView.as_view(), name="action_add"),
    path("actions/<int:action_id>/", views.ActionEditView.as_view(), name="action_edit"),
    path("competencies/", views.FrameworkView.as_view(), name="framework"),
    path("competencies/new/", views.CompetencyCreateView.as_view(), name="competency_create"),
    path(
        "competencies/<int:competency_id>/edit/",
        views.CompetencyEditView.as_view(),
        name="competency_edit",
    ),
    path(
        "competencies/categories/new/", views.CategoryCreateView.as_view(), name="category_create"
    ),
    path(
        "competencies/categories/<int:category_id>/edit/",
        views.CategoryEditView.as_view(),
        name="category_edit",
    ),
]
