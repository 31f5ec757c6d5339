from django.urls import path

from . import chart_views, views

app_name = "people"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path("invite/", views.InviteView.as_view(), name="invite"),
    path("search/", views.PersonSearchView.as_view(), name="person_search"),
    path("org-chart/", chart_views.OrgChartView.as_view(), name="org_chart"),
    path("org-chart/top/", chart_views.OrgChartTopView.as_view(), name="org_chart_top"),
    path("org-chart/search/", chart_views.OrgChartSearchView.as_view(), name="org_chart_search"),
    path(
        "org-chart/<int:member_id>/reports/",
        chart_views.OrgChartReportsView.as_view(),
        name="org_chart_reports",
    ),
    path("teams/", views.TeamsView.as_view(), name="teams"),
    path("teams/<int:team_id>/", views.TeamEditView.as_view(), name="team_edit"),
    path("teams/<int:team_id>/delete/", views.TeamDeleteView.as_view(), name="team_delete"),
    # audit/ is the audit log's (perfmgmt/audit/routes.py)
    path("<int:member_id>/", views.ProfileView.as_view(), name="profile"),
    path("<int:member_id>/edit/", views.EditView.as_view(), name="edit"),
    path("<int:member_id>/deactivate/", views.DeactivateView.as_view(), name="deactivate"),
    path("<int:member_id>/reactivate/", views.ReactivateView.as_view(), name="reactivate"),
    path(
        "<int:member_id>/resend-invitation/",
        views.ResendInvitationView.as_view(),
        name="resend_invitation",
    ),
]
