from django.urls import path

from . import tree_views, views

app_name = "goals"

urlpatterns = [
    path("", views.MyGoalsView.as_view(), name="mine"),
    path("team/", views.TeamGoalsView.as_view(), name="team"),
    path("tree/", tree_views.GoalTreeView.as_view(), name="tree"),
    path("tree/top/", tree_views.GoalTreeTopView.as_view(), name="tree_top"),
    path(
        "tree/<int:goal_id>/children/",
        tree_views.GoalTreeChildrenView.as_view(),
        name="tree_children",
    ),
    path("attention/", views.AttentionView.as_view(), name="attention"),
    path("new/", views.GoalCreateView.as_view(), name="create"),
    path("assign/", views.AssignView.as_view(), name="assign"),
    path("assigned/", views.SetForOthersView.as_view(), name="assigned"),
    path("settings/", views.GoalSettingsView.as_view(), name="settings"),
    path("audience/", views.AudienceView.as_view(), name="audience"),
    path("<int:goal_id>/", views.GoalDetailView.as_view(), name="detail"),
    path("<int:goal_id>/edit/", views.GoalEditView.as_view(), name="edit"),
    path("<int:goal_id>/update/", views.GoalUpdatePostView.as_view(), name="post_update"),
    path("<int:goal_id>/agree/", views.GoalAgreeView.as_view(), name="agree"),
]
