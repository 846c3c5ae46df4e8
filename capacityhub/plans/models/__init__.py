"""Models of the plans app: plans and their tree, questionnaires, reporting cycles, submissions and
reports."""

from .plans import RESERVED_KEYS, Crosswalk, Plan, PlanActivity, PlanArea, PlanElement, PlanIndicator
from .questionnaires import Question, Questionnaire, QuestionPlanLink, Section
from .submissions import (
    AnswerValue,
    CycleReminder,
    OrganizationSubmission,
    ReportingCycle,
    Submission,
    SynthesisReport,
)

__all__ = [
    "RESERVED_KEYS",
    "AnswerValue",
    "Crosswalk",
    "CycleReminder",
    "OrganizationSubmission",
    "Plan",
    "PlanActivity",
    "PlanArea",
    "PlanElement",
    "PlanIndicator",
    "Question",
    "QuestionPlanLink",
    "Questionnaire",
    "ReportingCycle",
    "Section",
    "Submission",
    "SynthesisReport",
]
