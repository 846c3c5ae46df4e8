"""Models of the plans app: plans and their tree, questionnaires, reporting cycles, submissions and
reports."""

from .plans import RESERVED_KEYS, Crosswalk, Plan, PlanActivity, PlanArea, PlanElement, PlanIndicator
from .questionnaires import Question, Questionnaire, Section
from .submissions import AnswerValue, OrganizationSubmission, ReportingCycle, Submission, SynthesisReport

__all__ = [
    "RESERVED_KEYS",
    "AnswerValue",
    "Crosswalk",
    "OrganizationSubmission",
    "Plan",
    "PlanActivity",
    "PlanArea",
    "PlanElement",
    "PlanIndicator",
    "Question",
    "Questionnaire",
    "ReportingCycle",
    "Section",
    "Submission",
    "SynthesisReport",
]
