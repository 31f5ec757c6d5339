"""Review set-up pages: rating scales (HR admins and owners edit; every member reads)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from perfmgmt.web.base import OrgView
from perfmgmt.web.form_views import OrgFormView, attempt

from .. import policies
from ..forms.setup import (
    RatingScaleForm,
    ReviewTemplateForm,
    TemplateQuestionForm,
    TemplateSectionForm,
)
from ..models import RatingScale, ReviewerKind, ReviewTemplate, TemplateQuestion, TemplateSection
from ..selectors import setup as selectors
from ..services import setup as services


class ScaleListView(OrgView):
    permission_check = staticmethod(policies.can_view_review_setup)

    def get(self, request: HttpRequest) -> HttpResponse:
        can_manage = policies.can_manage_review_setup(self.membership)
        context = {
            "scales": selectors.rating_scale_list(include_archived=can_manage),
            "can_manage": can_manage,
        }
        return render(request, "reviews/scales.html", context)


class _ScaleEdit(OrgFormView):
    permission_check = staticmethod(policies.can_manage_review_setup)
    form_class = RatingScaleForm
    template_name = "reviews/scale_form.html"

    def scales_url(self) -> str:
        return reverse("reviews:scales", args=[self.organization.slug])

    def success(self, scale: RatingScale) -> HttpResponse:
        messages.success(self.request, _("%(name)s saved.") % {"name": scale.name})
        return redirect(self.scales_url())


class ScaleCreateView(_ScaleEdit):
    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "scale": None}

    def perform(self, form: RatingScaleForm) -> RatingScale:
        return services.rating_scale_create(
            actor=self.membership, levels=form.levels(), **form.scale_fields()
        )


class ScaleEditView(_ScaleEdit):
    @cached_property
    def scale(self) -> RatingScale:
        return selectors.rating_scale_get(scale_id=self.kwargs["scale_id"])

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"scale": self.scale}

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        return {**context, "scale": self.scale}

    def perform(self, form: RatingScaleForm) -> RatingScale:
        return services.rating_scale_update(
            actor=self.membership, scale=self.scale, levels=form.levels(), **form.scale_fields()
        )


class TemplateListView(OrgFormView):
    """The templates, and (for HR) a form to start a new one."""

    permission_check = staticmethod(policies.can_view_review_setup)
    form_class = ReviewTemplateForm
    template_name = "reviews/templates.html"

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        can_manage = policies.can_manage_review_setup(self.membership)
        return {
            **context,
            "templates": selectors.review_template_list(),
            "can_manage": can_manage,
            "form": context["form"] if can_manage else None,
        }

    def perform(self, form: ReviewTemplateForm) -> ReviewTemplate:
        return services.review_template_create(actor=self.membership, **form.cleaned_data)

    def success(self, template: ReviewTemplate) -> HttpResponse:
        messages.success(
            self.request, _("%(name)s created. Add its sections.") % {"name": template.name}
        )
        return redirect("reviews:template", self.organization.slug, template.pk)


class _OnTemplate(OrgFormView):
    """The template page, with its two forms (a section, a question); a form that is
    refused shows the page again with its errors, the other form empty."""

    permission_check = staticmethod(policies.can_view_review_setup)
    template_name = "reviews/template.html"
    form_key = "section_form"

    @cached_property
    def review_template(self) -> ReviewTemplate:
        return selectors.review_template_get(template_id=self.kwargs["template_id"])

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not policies.can_manage_review_setup(self.membership):
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **context: Any) -> dict[str, Any]:
        template = self.review_template
        can_manage = policies.can_manage_review_setup(self.membership)
        forms = {
            "section_form": TemplateSectionForm(),
            "question_form": TemplateQuestionForm(template=template),
        }
        if "form" in context:
            forms[self.form_key] = context.pop("form")
        sections = [
            (
                section,
                [
                    (question, question_reader_lines(question))
                    for question in section.questions.all()
                ],
            )
            for section in template.sections.all()
        ]
        return {
            **context,
            "review_template": template,
            "sections": sections,
            "can_manage": can_manage,
            **(forms if can_manage else {}),
        }

    def success(self, result: Any) -> HttpResponse:
        messages.success(self.request, _("Template saved."))
        return redirect("reviews:template", self.organization.slug, self.review_template.pk)


class TemplateView(_OnTemplate):
    form_class = TemplateSectionForm

    def perform(self, form: TemplateSectionForm) -> TemplateSection:
        return services.template_section_create(
            actor=self.membership, template=self.review_template, **form.cleaned_data
        )


class QuestionAddView(_OnTemplate):
    http_method_names = ["post"]
    form_class = TemplateQuestionForm
    form_key = "question_form"

    def get_form_kwargs(self) -> dict[str, Any]:
        return {"template": self.review_template}

    def perform(self, form: TemplateQuestionForm) -> TemplateQuestion:
        return services.template_question_create(actor=self.membership, **form.service_arguments())


class SectionDeleteView(OrgView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, section_id: int) -> HttpResponse:
        section = selectors.template_section_get(section_id=section_id)
        attempt(lambda: services.template_section_delete(actor=self.membership, section=section))
        messages.success(request, _("Section removed."))
        return redirect("reviews:template", self.organization.slug, section.template_id)


class QuestionDeleteView(OrgView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, question_id: int) -> HttpResponse:
        question = selectors.template_question_get(question_id=question_id)
        attempt(lambda: services.template_question_delete(actor=self.membership, question=question))
        messages.success(request, _("Question removed."))
        return redirect("reviews:template", self.organization.slug, question.section.template_id)


def question_reader_lines(question: TemplateQuestion) -> list[str]:
    """What the template editor says about each kind of answer to this question: who will
    read it (policies.answer_readers decides; this only words it)."""
    words = {
        "author": _("its author"),
        "managers": _("the reviewee's managers"),
        "hr": _("HR"),
        "reviewee_at_release": _("the reviewee, once released"),
        "aggregated": _(
            "the reviewee (once released), their managers and HR, only combined with the "
            "other answers of the group and never with the author's name in an anonymous cycle"
        ),
    }
    lines = []
    for kind in question.answered_by:
        readers = policies.answer_readers(answered_by=kind, readers=question.readers)
        lines.append(
            _("%(answer)s: read by %(readers)s")
            % {
                "answer": ReviewerKind(kind).label,
                "readers": ", ".join(str(words[reader]) for reader in readers),
            }
        )
    return lines
