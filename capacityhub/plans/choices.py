"""Choices of the plans app: kinds of plan elements, question types, questionnaire kinds, implementation
status,
respondents and report states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ElementKind(models.TextChoices):
    """What an element of a plan is called in that plan."""

    EXPECTED_RESULT = "expected_result", _("Expected result")
    OUTCOME = "outcome", _("Outcome")
    GOAL = "goal", _("Goal")
    OBJECTIVE = "objective", _("Objective")


class CrosswalkRelation(models.TextChoices):
    """How an area or element of one plan version continues in another."""

    CONTINUES = "continues", _("Continues as")
    PARTLY = "partly", _("Continues in part as")
    MERGED = "merged", _("Merged into")


class QuestionnaireKind(models.TextChoices):
    NATIONAL_REPORT = "national_report", _("National report")
    STATUS = "status", _("Status of implementation of a plan")
    SURVEY = "survey", _("Survey")


class QuestionType(models.TextChoices):
    """The types of question the engine renders, validates and analyses."""

    SINGLE = "single", _("Single option")
    MULTIPLE = "multiple", _("Multiple options")
    TERMS = "terms", _("Vocabulary terms")
    NUMBER = "number", _("Whole number")
    BUCKET = "bucket", _("Count bucket")
    TEXT = "text", _("Short text")
    RICHTEXT = "richtext", _("Rich text")
    DATE = "date", _("Date")
    GROUP = "group", _("Group of questions")
    LEGEND = "legend", _("Heading")


#: Question types that hold no answer.
STRUCTURAL_TYPES = {QuestionType.GROUP, QuestionType.LEGEND}
#: Question types answered by choosing among options.
OPTION_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TERMS, QuestionType.BUCKET}
#: Question types answered with free text.
TEXT_TYPES = {QuestionType.TEXT, QuestionType.RICHTEXT}


class QuestionRole(models.TextChoices):
    """What a question of a status-of-implementation questionnaire asks about its plan element."""

    STATUS = "status", _("Status")
    RESULTS = "results", _("Summary of results")
    GOOD_PRACTICES = "good_practices", _("Good practices")
    LESSONS = "lessons", _("Lessons learned")
    INDICATOR = "indicator", _("Indicator value")


class ImplementationStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")


class Respondents(models.TextChoices):
    """Who is invited to answer in a reporting cycle."""

    COUNTRIES = "countries", _("Countries")
    ORGANIZATIONS = "organizations", _("Organizations")
    ALL = "all", _("Countries and organizations")


class RespondentKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    ORGANIZATION = "organization", _("Organization")


class IndicatorValueType(models.TextChoices):
    NUMBER = "number", _("Whole number")
    TEXT = "text", _("Text")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
