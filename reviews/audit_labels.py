"""What the audit page calls this app's recorded actions and the objects they are about
(registered with the audit app; see perfmgmt/audit/actions.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.audit.actions import register

register(
    labels={
        "review.submitted": _("Review submitted"),
        "review.reopen": _("Review reopened"),
        "review.released": _("Review released"),
        "review.answer_corrected": _("Rating corrected after release"),
        "review.answer_calibrated": _("Rating changed by calibration"),
        "review_cycle.create": _("Review cycle created"),
        "review_cycle.update": _("Review cycle changed"),
        "review_cycle.launch": _("Review cycle launched"),
        "review_cycle.phases": _("Review phases changed"),
        "review_cycle.peer_settings": _("Peer feedback settings changed"),
        "review_participant.add_late": _("Late participant added"),
        "review_participant.extend": _("Deadline extended"),
        "review_participant.manager_change": _("Reviewing manager changed"),
        "review_template.create": _("Review template created"),
        "rating_scale.create": _("Rating scale created"),
        "rating_scale.update": _("Rating scale changed"),
        "peer_nomination.approved": _("Peer nomination approved"),
        "peer_nomination.declined": _("Peer nomination declined"),
        "peer_nomination.removed": _("Peer nomination removed"),
        "improvement_plan.drafted": _("Improvement plan drafted"),
        "improvement_plan.edited": _("Improvement plan edited"),
        "improvement_plan.submitted": _("Improvement plan submitted"),
        "improvement_plan.approved": _("Improvement plan approved"),
        "improvement_plan.returned": _("Improvement plan returned"),
        "improvement_plan.acknowledged": _("Improvement plan acknowledged"),
        "improvement_plan.outcome": _("Improvement plan outcome recorded"),
        "calibration.session_opened": _("Calibration session opened"),
        "calibration.session_locked": _("Calibration session locked"),
        "calibration.target_set": _("Calibration target distribution set"),
        "calibration.adjusted": _("Rating adjusted in calibration"),
        "calibration.transferred": _("Calibration placement moved"),
        "calibration.exported": _("Calibration exported"),
        "calibration.cycles_exported": _("Cycle comparison exported"),
        "export.review-results": _("Review results exported"),
    },
    target_types={
        "reviews.ReviewCycle": _("Review cycle"),
        "reviews.Participant": _("Review participant"),
        "reviews.Review": _("Review"),
        "reviews.ReviewAnswer": _("Rating"),
        "reviews.RatingScale": _("Rating scale"),
        "reviews.ReviewTemplate": _("Review template"),
        "reviews.PeerNomination": _("Peer nomination"),
        "reviews.ImprovementPlan": _("Improvement plan"),
        "reviews.CalibrationSession": _("Calibration session"),
        "reviews.CalibrationPlacement": _("Calibration placement"),
    },
)

register(
    labels={
        "review_retrospective.open": _("Retrospective opened or its length changed"),
        "review_cycle.create_next": _("Next review cycle created from an earlier one"),
    },
    target_types={"reviews.Retrospective": _("Cycle retrospective")},
)
