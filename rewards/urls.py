"""Pages under /o/<org_slug>/: praise/ and rewards/."""

from django.urls import path

from . import views

app_name = "rewards"

urlpatterns = [
    path("praise/", views.PraiseFeedView.as_view(), name="praise_feed"),
    path("praise/give/", views.GivePraiseView.as_view(), name="praise_give"),
    path("praise/<int:praise_id>/", views.PraiseDetailView.as_view(), name="praise_detail"),
    path("praise/<int:praise_id>/remove/", views.RemovePraiseView.as_view(), name="praise_remove"),
    path("praise/values/", views.ValuesView.as_view(), name="values"),
    path("praise/values/<int:value_id>/", views.ValueEditView.as_view(), name="value_edit"),
    path("rewards/", views.RewardListView.as_view(), name="reward_list"),
    path("rewards/propose/", views.ProposeRewardView.as_view(), name="reward_propose"),
    path("rewards/budgets/", views.BudgetsView.as_view(), name="budgets"),
    path("rewards/<int:reward_id>/", views.RewardDetailView.as_view(), name="reward_detail"),
    path("rewards/<int:reward_id>/decide/", views.DecideRewardView.as_view(), name="reward_decide"),
    path(
        "rewards/<int:reward_id>/withdraw/",
        views.WithdrawRewardView.as_view(),
        name="reward_withdraw",
    ),
]
