from django.urls import path

from .views import cycles as cycle_views
from .views import retrospectives as retrospective_views
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
    # Review cycles (HR)
    path("cycles/", cycle_views.CycleListView.as_view(), name="cycles"),
    path("cycles/new/", cycle_views.CycleCreateView.as_view(), name="cycle_create"),
    path("cycles/<int:cycle_id>/", cycle_views.CycleView.as_view(), name="cycle"),
    path(
        "cycles/<int:cycle_id>/phases/", cycle_views.CyclePhasesView.as_view(), name="cycle_phases"
    ),
    path(
        "cycles/<int:cycle_id>/launch/", cycle_views.CycleLaunchView.as_view(), name="cycle_launch"
    ),
    path(
        "cycles/<int:cycle_id>/launch/progress/",
        cycle_views.CycleLaunchProgressView.as_view(),
        name="cycle_launch_progress",
    ),
    path(
        "cycles/<int:cycle_id>/participants/",
        cycle_views.ParticipantListView.as_view(),
        name="cycle_participants",
    ),
    path(
        "cycles/<int:cycle_id>/add-late/",
        cycle_views.CycleAddLateView.as_view(),
        name="cycle_add_late",
    ),
    path(
        "cycles/participants/<int:participant_id>/",
        cycle_views.ParticipantView.as_view(),
        name="participant",
    ),
    path(
        "cycles/participants/<int:participant_id>/reopen/",
        cycle_views.ParticipantReopenView.as_view(),
        name="participant_reopen",
    ),
    path(
        "cycles/participants/<int:participant_id>/manager/",
        cycle_views.ParticipantManagerView.as_view(),
        name="participant_manager",
    ),
]

# Release, acknowledgement and progress (rev/release).
from .views import progress as progress_views  # noqa: E402
from .views import release as release_views  # noqa: E402

urlpatterns += [
    path(
        "released/<int:participant_id>/",
        release_views.ReleasedReviewView.as_view(),
        name="released",
    ),
    path(
        "released/<int:participant_id>/acknowledge/",
        release_views.AcknowledgeView.as_view(),
        name="release_acknowledge",
    ),
    path(
        "released/<int:participant_id>/release/",
        release_views.ParticipantReleaseView.as_view(),
        name="participant_release",
    ),
    path(
        "cycles/<int:cycle_id>/release/",
        release_views.CycleReleaseView.as_view(),
        name="cycle_release",
    ),
    path(
        "cycles/<int:cycle_id>/progress/",
        progress_views.CycleProgressView.as_view(),
        name="cycle_progress",
    ),
    path(
        "cycles/<int:cycle_id>/progress/remind/",
        progress_views.RemindLateView.as_view(),
        name="cycle_remind_late",
    ),
    path(
        "cycles/<int:cycle_id>/export.csv",
        progress_views.CycleExportView.as_view(),
        name="cycle_export",
    ),
]

# Writing reviews (rev/writing)
from .views import writing as writing_views  # noqa: E402

urlpatterns += [
    path("mine/", writing_views.MyReviewsView.as_view(), name="mine"),
    path("<int:review_id>/", writing_views.ReviewView.as_view(), name="review"),
    path("<int:review_id>/submit/", writing_views.ReviewSubmitView.as_view(), name="review_submit"),
    path(
        "participants/<int:participant_id>/score/",
        writing_views.ScoreView.as_view(),
        name="score",
    ),
]

urlpatterns += [
    path(
        "answers/<int:answer_id>/correct/",
        release_views.AnswerCorrectView.as_view(),
        name="answer_correct",
    ),
]

# Peer and upward feedback
from .views import peers as peer_views  # noqa: E402

urlpatterns += [
    path(
        "cycles/<int:cycle_id>/peer-settings/",
        peer_views.PeerSettingsView.as_view(),
        name="cycle_peer_settings",
    ),
    path("peers/", peer_views.PeerInboxView.as_view(), name="peer_inbox"),
    path("peers/requests/", peer_views.PeerRequestsView.as_view(), name="peer_requests"),
    path(
        "peers/<int:participant_id>/",
        peer_views.ParticipantPeersView.as_view(),
        name="participant_peers",
    ),
    path(
        "peers/<int:participant_id>/results/",
        peer_views.PeerResultsView.as_view(),
        name="peer_results",
    ),
    path(
        "peers/nominations/<int:nomination_id>/approve/",
        peer_views.NominationApproveView.as_view(),
        name="nomination_approve",
    ),
    path(
        "peers/nominations/<int:nomination_id>/remove/",
        peer_views.NominationRemoveView.as_view(),
        name="nomination_remove",
    ),
    path(
        "peers/nominations/<int:nomination_id>/decline/",
        peer_views.NominationDeclineView.as_view(),
        name="nomination_decline",
    ),
]

# Performance improvement plans and PDFs (s19/pips)
from .views import improvement_plans as plan_views  # noqa: E402
from .views import pdfs as pdf_views  # noqa: E402

urlpatterns += [
    path(
        "improvement-plans/", plan_views.ImprovementPlanListView.as_view(), name="improvement_plans"
    ),
    path(
        "improvement-plans/new/",
        plan_views.ImprovementPlanCreateView.as_view(),
        name="improvement_plan_create",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/",
        plan_views.ImprovementPlanView.as_view(),
        name="improvement_plan",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/edit/",
        plan_views.ImprovementPlanEditView.as_view(),
        name="improvement_plan_edit",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/submit/",
        plan_views.PlanSubmitView.as_view(),
        name="improvement_plan_submit",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/approve/",
        plan_views.PlanApproveView.as_view(),
        name="improvement_plan_approve",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/send-back/",
        plan_views.PlanReturnView.as_view(),
        name="improvement_plan_return",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/acknowledge/",
        plan_views.PlanAcknowledgeView.as_view(),
        name="improvement_plan_acknowledge",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/outcome/",
        plan_views.PlanOutcomeView.as_view(),
        name="improvement_plan_outcome",
    ),
    path(
        "improvement-plans/<int:improvement_plan_id>/plan.pdf",
        pdf_views.ImprovementPlanPdfView.as_view(),
        name="improvement_plan_pdf",
    ),
    path(
        "released/<int:participant_id>/review.pdf",
        pdf_views.ReleasedReviewPdfView.as_view(),
        name="released_pdf",
    ),
]

# Calibration
from .views import calibration as calibration_views  # noqa: E402

urlpatterns += [
    path("calibration/", calibration_views.SessionListView.as_view(), name="calibration"),
    path(
        "calibration/cycles-export/",
        calibration_views.CyclesExportView.as_view(),
        name="calibration_cycles_export",
    ),
    path(
        "cycles/<int:cycle_id>/calibration/new/",
        calibration_views.SessionOpenView.as_view(),
        name="calibration_open",
    ),
    path(
        "calibration/<int:session_id>/",
        calibration_views.SessionView.as_view(),
        name="calibration_session",
    ),
    path(
        "calibration/<int:session_id>/nine-box/",
        calibration_views.NineBoxView.as_view(),
        name="calibration_nine_box",
    ),
    path(
        "calibration/<int:session_id>/target/",
        calibration_views.SessionTargetView.as_view(),
        name="calibration_target",
    ),
    path(
        "calibration/<int:session_id>/lock/",
        calibration_views.SessionLockView.as_view(),
        name="calibration_lock",
    ),
    path(
        "calibration/<int:session_id>/export.csv",
        calibration_views.SessionExportCsvView.as_view(),
        name="calibration_export_csv",
    ),
    path(
        "calibration/<int:session_id>/export.xlsx",
        calibration_views.SessionExportXlsxView.as_view(),
        name="calibration_export_xlsx",
    ),
    path(
        "calibration/people/<int:placement_id>/",
        calibration_views.PlacementView.as_view(),
        name="calibration_placement",
    ),
    path(
        "calibration/people/<int:placement_id>/move/",
        calibration_views.PlacementMoveView.as_view(),
        name="calibration_move",
    ),
    # Retrospectives and the next cycle
    path(
        "retrospectives/<int:retrospective_id>/",
        retrospective_views.RetrospectiveAnswerView.as_view(),
        name="retrospective",
    ),
    path(
        "retrospectives/<int:retrospective_id>/results/",
        retrospective_views.RetrospectiveResultsView.as_view(),
        name="retrospective_results",
    ),
    path(
        "cycles/<int:cycle_id>/retrospective/",
        retrospective_views.RetrospectiveOpenView.as_view(),
        name="retrospective_open",
    ),
    path(
        "cycles/<int:cycle_id>/next/",
        retrospective_views.NextCycleView.as_view(),
        name="cycle_next",
    ),
]
