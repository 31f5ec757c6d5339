"""HR's cycle progress page, its "remind the late ones" action and the results export."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from perfmgmt.web.base import OrgView
from perfmgmt.web.export_pages import export_download
from perfmgmt.web.form_views import attempt

from .. import policies
from ..exports import RESULTS_EXPORT
from ..models import ReviewCycle
from ..selectors import progress as selectors
from ..services import release as services

LATE_PAGE_SIZE = 25
MANAGER_PAGE_SIZE = 20


def measure_labels() -> dict[str, str]:
    return {
        "self_done": _("Self-assessments submitted"),
        "manager_done": _("Manager reviews submitted"),
        "released": _("Released"),
        "acknowledged": _("Acknowledged"),
    }


class _OnCycle(OrgView):
    permission_check = staticmethod(policies.can_view_all_reviews)

    def cycle(self) -> ReviewCycle:
        return selectors.progress_cycle_get(actor=self.membership, cycle_id=self.kwargs["cycle_id"])


class CycleProgressView(_OnCycle):
    def get(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        cycle = self.cycle()
        progress = selectors.cycle_progress(cycle=cycle, no_team=_("No team"))
        late = Paginator(selectors.late_reviews(cycle=cycle, now=timezone.now()), LATE_PAGE_SIZE)
        managers = Paginator(selectors.manager_completion(cycle=cycle), MANAGER_PAGE_SIZE).get_page(
            request.GET.get("managers")
        )
        no_manager = _("No manager")
        context = {
            "cycle": cycle,
            "progress": progress,
            "managers": managers,
            "by_manager": [selectors.manager_row(row, no_manager=no_manager) for row in managers],
            "labels": measure_labels(),
            "page": late.get_page(request.GET.get("page")),
            "can_manage": policies.can_manage_cycles(self.membership),
        }
        return render(request, "reviews/progress/cycle.html", context)


class RemindLateView(_OnCycle):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_manage_cycles)

    def post(self, request: HttpRequest, cycle_id: int) -> HttpResponse:
        cycle = self.cycle()
        outcome = attempt(lambda: services.late_remind(actor=self.membership, cycle=cycle))
        result = outcome.result
        if result is not None and result.sent:
            messages.success(
                request,
                ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", result.sent)
                % {"count": result.sent},
            )
        elif result is not None and result.already:
            messages.info(request, _("Everyone late was reminded today already: nothing was sent."))
        elif result is not None:
            messages.info(request, _("Nobody is late: nothing was sent."))
        return redirect("reviews:cycle_progress", self.organization.slug, cycle.pk)


class CycleExportView(_OnCycle):
    """The cycle's results (`?file_format=xlsx`, else CSV), audited like every export."""

    def get(self, request: HttpRequest, cycle_id: int) -> HttpResponseBase:
        cycle = self.cycle()
        data = {"cycle": cycle.pk, "file_format": request.GET.get("file_format", "csv")}
        return export_download(request, RESULTS_EXPORT, actor=self.membership, data=data)
