"""What the audit page calls this app's recorded actions and the objects they are about
(registered with the audit app; see perfmgmt/audit/actions.py)."""

from django.utils.translation import gettext_lazy as _

from perfmgmt.audit.actions import register

register(
    labels={
        "goals.agreed": _("Goal agreed"),
        "goals.agreed_goal_changed": _("Agreed goal changed"),
        "goals.agreed_terms_changed": _("Agreed goal terms changed"),
        "goals.settings_changed": _("Goal settings changed"),
        "development_plan.agree": _("Development plan agreed"),
        "development_plan.reopen": _("Development plan reopened"),
        "development_plan.comment": _("Development plan commented"),
        "development_plan.close": _("Development plan closed"),
        "competency.create": _("Competency created"),
        "competency.update": _("Competency changed"),
        "competency_category.create": _("Competency category created"),
        "competency_category.update": _("Competency category changed"),
        "export.goals": _("Goals exported"),
        "export.development-plans": _("Development plans exported"),
    },
    target_types={
        "goals.Goal": _("Goal"),
        "development.DevelopmentPlan": _("Development plan"),
        "development.Competency": _("Competency"),
        "development.CompetencyCategory": _("Competency category"),
    },
)
