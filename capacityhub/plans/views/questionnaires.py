"""Questionnaire pages: the list, a questionnaire's definition (sections, questions, options, skip logic),
and its export in the platform's JSON shape."""

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from .. import definitions, engine, selectors
from ..models import Questionnaire


class QuestionnaireListView(TemplateView):
    template_name = "plans/questionnaire_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(questionnaires=selectors.questionnaires(), nav_section="plans")
        return context


class QuestionnaireView(TemplateView):
    template_name = "plans/questionnaire_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questionnaire = get_object_or_404(
            Questionnaire.objects.select_related("plan", "previous"), pk=self.kwargs["pk"]
        )
        definition = questionnaire.definition()
        conditions = {q.key: engine.describe_condition(definition, q) for q in definition if q.enabled_when}
        counts = {
            "questions": len(definition.answerable),
            "mandatory": sum(1 for q in definition.answerable if q.mandatory),
            "conditional": len(conditions),
        }
        context.update(
            questionnaire=questionnaire,
            definition=definition,
            conditions=conditions,
            counts=counts,
            cycles=questionnaire.cycles.order_by("-deadline"),
            nav_section="plans",
        )
        return context


def questionnaire_export(request, pk):
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    data = definitions.export_definition(questionnaire)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=1), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="{}-v{}.json"'.format(
        questionnaire.key, questionnaire.version
    )
    return response
