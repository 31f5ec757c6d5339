"""Calibration pages: the sessions, opening one (HR), a session's figures, its 9-box with
the people list, one person's adjustments and history, locking, and the exports.

Thin: every rule is in `services.calibration` and `selectors.calibration*`; a manager
taking part sees only their people, computed there.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from perfmgmt.exports import csv_response, xlsx_response
from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt

from .. import calibration_exports as exports
from .. import policies
from ..charts import distribution_chart
from ..forms.calibration import AdjustForm, MoveForm, SessionOpenForm, TargetForm
from ..models import CalibrationPlacement, CalibrationSession, CycleStatus, ReviewCycle
from ..ninebox import box_name
from ..selectors import calibration as selectors
from ..selectors import calibration_figures as figures
from ..selectors import cycles as cycle_selectors
from ..services import calibration as services

SESSION_PAGE_SIZE = 25
_ID = re.compile(r"[0-9]{1,18}")


class SessionListView(OrgView):
    permission_check = staticmethod(policies.sees_calibration_menu)

    def get(self, request: HttpRequest) -> HttpResponse:
        sessions = Paginator(selectors.session_list(actor=self.membership), SESSION_PAGE_SIZE)
        can_manage = policies.can_manage_calibration(self.membership)
        cycles = (
            cycle_selectors.cycle_list().filter(status=CycleStatus.ACTIVE).order_by("name")[:20]
            if can_manage
            else []
        )
        context = {
            "page": sessions.get_page(request.GET.get("page")),
            "can_manage": can_manage,
            "cycles": cycles,
        }
        return render(request, "reviews/calibration/list.html", context)


class SessionOpenView(OrgFormView):
    permission_check = staticmethod(policies.can_manage_calibration)
    form_class = SessionOpenForm
    template_name = "reviews/calibration/open.html"
    field_aliases = {"leader": "leader_email"}

    @cached_property
    def cycle(self) -> ReviewCycle:
        return cycle_selectors.cycle_get(cycle_id=self.kwargs["cycle_id"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"potential_choices": selectors.potential_choices(cycle=self.cycle)}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "cycle": self.cycle}

    def perform(self, form: SessionOpenForm) -> CalibrationSession:
        data = form.cleaned_data
        return services.session_open(
            actor=self.membership,
            cycle=self.cycle,
            data=services.SessionInput(
                name=data["name"],
                group=data["group"],
                team=data.get("team"),
                leader=data.get("leader"),
                managers=data.get("managers") or [],
                potential_question_id=data.get("potential_question"),
            ),
        )

    def success(self, result: CalibrationSession) -> HttpResponse:
        messages.success(self.request, _("The calibration session is open."))
        return redirect("reviews:calibration_session", self.organization.slug, result.pk)


class _OnSession(OrgView):
    kwargs: dict[str, Any]

    @cached_property
    def session(self) -> CalibrationSession:
        return selectors.session_get(actor=self.membership, session_id=self.kwargs["session_id"])

    def session_context(self) -> dict[str, Any]:
        session = self.session
        return {
            "session": session,
            "can_manage": policies.can_manage_calibration(self.membership),
            "managers": selectors.session_managers(session=session)[:50],
        }


def _charted(found: figures.Distribution) -> dict[str, Any]:
    return {"data": found, "chart": distribution_chart(found)}


class SessionView(_OnSession):
    """The figures: distributions against the target, leniency and gaps by manager."""

    def get(self, request: HttpRequest, session_id: int) -> HttpResponse:
        session = self.session
        placements = selectors.visible_placements(actor=self.membership, session=session)
        levels = figures.session_levels(placements)
        group = figures.group_average(placements)
        common: dict[str, Any] = {"levels": levels, "group": group}
        context = {
            **self.session_context(),
            "overall": _charted(figures.overall_distribution(placements, levels, session)),
            "questions": [
                {"id": f"question-chart-{number}", "prompt": q.prompt, **_charted(q.distribution)}
                for number, q in enumerate(figures.question_distributions(placements, session))
            ],
            "group": group,
            "group_points": figures.points(group["average"]),
            "gaps": figures.gap_summary(placements, group),
            "teams": figures.grouped(
                placements,
                key="participant__reviewee__team_id",
                label="participant__reviewee__team__name",
                page_number=request.GET.get("teams"),
                no_label=_("No team"),
                **common,
            ),
            "by_manager": figures.grouped(
                placements,
                key="participant__manager_id",
                label="participant__manager__full_name",
                page_number=request.GET.get("managers"),
                no_label=_("No manager"),
                **common,
            ),
            "target_form": TargetForm(
                levels=levels,
                initial={f"level_{k}": v for k, v in session.target_distribution.items()},
            ),
        }
        return render(request, "reviews/calibration/session.html", context)


class NineBoxView(_OnSession):
    """The grid, and the people list (paged; one box at a time when a box is chosen)."""

    def get(self, request: HttpRequest, session_id: int) -> HttpResponse:
        session = self.session
        placements = selectors.visible_placements(actor=self.membership, session=session)
        grid, unplaced = figures.nine_box(placements)
        people = selectors.placement_rows(actor=self.membership, session=session)
        box = request.GET.get("box", "")
        chosen = _box(box)
        if chosen is not None:
            people = people.filter(performance=chosen[0], potential=chosen[1])
        page = Paginator(people, selectors.PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            **self.session_context(),
            "grid": grid,
            "unplaced": unplaced,
            "page": page,
            "box": box if chosen is not None else "",
            "box_label": box_name(*chosen) if chosen is not None else "",
        }
        return render(request, "reviews/calibration/nine_box.html", context)


def _box(value: str) -> tuple[int, int] | None:
    parts = value.split("-")
    if len(parts) == 2 and all(part in {"1", "2", "3"} for part in parts):
        return int(parts[0]), int(parts[1])
    return None


class _OnPlacement(_OnSession, OrgFormView):
    template_name = "reviews/calibration/placement.html"
    form_key = ""  # which of the page's two forms this view validates

    @cached_property
    def placement(self) -> CalibrationPlacement:
        return selectors.placement_get_any(
            actor=self.membership, placement_id=self.kwargs["placement_id"]
        )

    @cached_property
    def session(self) -> CalibrationSession:
        return self.placement.session

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        placement = self.placement
        forms = {
            "adjust_form": AdjustForm(
                levels=list(placement.levels),
                initial={
                    "rating": "" if placement.rating is None else str(placement.rating.normalize()),
                    "potential": placement.potential,
                    "version": placement.version,
                },
            ),
            "move_form": MoveForm(
                initial={
                    "box": f"{placement.performance}-{placement.potential}",
                    "version": placement.version,
                }
            ),
        }
        form = context.pop("form")
        if form.is_bound:  # after a refusal: the form as typed, with its errors
            forms[self.form_key] = form
        return {
            **self.session_context(),
            **forms,
            "placement": placement,
            "box": box_name(placement.performance, placement.potential),
            "history": selectors.placement_history(placement=placement)[:50],
            "can_adjust": policies.can_adjust_placement(self.membership, placement)
            and not self.session.is_locked,
        }

    def success(self, result: CalibrationPlacement) -> HttpResponse:
        messages.success(self.request, _("The change is saved with its reason."))
        return redirect("reviews:calibration_placement", self.organization.slug, result.pk)


class PlacementView(_OnPlacement):
    """One person: adjust the rating and potential (this form), move on the 9-box."""

    form_class = AdjustForm
    form_key = "adjust_form"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"levels": list(self.placement.levels)}

    def perform(self, form: AdjustForm) -> CalibrationPlacement:
        data = form.cleaned_data
        return services.placement_adjust(
            actor=self.membership,
            placement=self.placement,
            change=services.PlacementChange(
                rating=data["rating"],
                potential=data["potential"] if data["potential"] is not None else services.KEEP,
                version=data.get("version"),
            ),
            reason=data["reason"],
        )


class PlacementMoveView(_OnPlacement):
    http_method_names = ["post"]
    form_class = MoveForm
    form_key = "move_form"

    def perform(self, form: MoveForm) -> CalibrationPlacement:
        performance, potential = form.bands()
        return services.placement_move(
            actor=self.membership,
            placement=self.placement,
            performance=performance,
            potential=potential,
            reason=form.cleaned_data["reason"],
            version=form.cleaned_data.get("version"),
        )


class SessionTargetView(_OnSession, OrgFormView):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_manage_calibration)
    form_class = TargetForm
    template_name = "reviews/calibration/target.html"

    def get_form_kwargs(self) -> dict[str, Any]:
        placements = selectors.visible_placements(actor=self.membership, session=self.session)
        return {"levels": figures.session_levels(placements)}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**self.session_context(), **context}

    def perform(self, form: TargetForm) -> CalibrationSession:
        return services.session_target_set(
            actor=self.membership, session=self.session, shares=form.shares()
        )

    def success(self, result: CalibrationSession) -> HttpResponse:
        messages.success(self.request, _("The target distribution is saved."))
        return redirect("reviews:calibration_session", self.organization.slug, result.pk)


class SessionLockView(_OnSession):
    http_method_names = ["post"]
    permission_check = staticmethod(policies.can_manage_calibration)

    def post(self, request: HttpRequest, session_id: int) -> HttpResponse:
        outcome = attempt(
            lambda: services.session_lock(actor=self.membership, session=self.session),
            shown=True,
        )
        if outcome.ok:
            messages.success(request, _("The session is locked: its ratings are final."))
        else:
            messages.error(request, outcome.message)
        return redirect("reviews:calibration_session", self.organization.slug, session_id)


class SessionExportCsvView(_OnSession):
    def get(self, request: HttpRequest, session_id: int) -> HttpResponseBase:
        rows = exports.session_export(
            actor=self.membership, session=self.session, file_format="csv"
        )
        return csv_response(
            rows, organization=self.organization, filename=f"calibration-{session_id}.csv"
        )


class SessionExportXlsxView(_OnSession):
    def get(self, request: HttpRequest, session_id: int) -> HttpResponseBase:
        rows = exports.session_export(
            actor=self.membership, session=self.session, file_format="xlsx"
        )
        return xlsx_response(
            rows,
            organization=self.organization,
            title=self.session.name,
            filename=f"calibration-{session_id}.xlsx",
        )


class CyclesExportView(OrgView):
    """HR chooses up to five cycles and a format; the file has them side by side."""

    permission_check = staticmethod(policies.can_view_all_reviews)

    def get(self, request: HttpRequest) -> HttpResponseBase:
        chosen = request.GET.getlist("cycles")
        file_format = request.GET.get("format", "csv")
        cycles_all = cycle_selectors.cycle_list().order_by("-period_end", "name")[:50]
        if not chosen:
            return render(request, "reviews/calibration/cycles_export.html", {"cycles": cycles_all})
        ids = [int(value) for value in chosen[: exports.MAX_CYCLES + 1] if _ID.fullmatch(value)]
        cycles = selectors.cycles_by_ids(ids)
        outcome = attempt(
            lambda: exports.cycles_export(
                actor=self.membership, cycles=cycles, file_format=file_format
            ),
            shown=True,
        )
        if not outcome.ok or len(cycles) != len(set(ids)):
            context = {"cycles": cycles_all, "error": outcome.message or _("No such cycle.")}
            return render(request, "reviews/calibration/cycles_export.html", context, status=400)
        rows = outcome.result or iter(())
        if file_format == "xlsx":
            return xlsx_response(
                rows,
                organization=self.organization,
                title=_("Cycles"),
                filename="cycles.xlsx",
            )
        return csv_response(rows, organization=self.organization, filename="cycles.csv")
