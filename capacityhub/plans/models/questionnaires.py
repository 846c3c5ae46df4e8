"""Questionnaires as versioned data: sections and questions with their types, options and skip logic."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from capacityhub.core.models import TimeStampedModel
from capacityhub.core.multilingual import MultilingualField, resolve

from ..choices import QuestionnaireKind, QuestionRole, QuestionType


class Questionnaire(TimeStampedModel):
    """A version of a questionnaire, such as the fifth national report or a plan's status of implementation.

    A questionnaire is data: its sections and questions are rows, loaded from files, generated from a plan or
    imported. A version that has submissions is not changed in substance: a new version is made instead."""

    key = models.SlugField(_("key"), max_length=80, help_text=_("Stable identifier shared by the versions."))
    version = models.PositiveIntegerField(_("version"), default=1)
    title = MultilingualField(_("title"), max_length=300)
    description = MultilingualField(_("description"), blank=True, textarea=True)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionnaireKind.choices)
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questionnaires",
        help_text=_("For a status-of-implementation questionnaire: the plan it asks about."),
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous questionnaire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_questionnaires",
        help_text=_("The questionnaire of the previous cycles, compared through the mapping of questions."),
    )
    previous_mapping = models.JSONField(
        _("mapping to the previous questionnaire"),
        default=dict,
        blank=True,
        help_text=_("Question keys of this questionnaire → question keys of the previous one."),
    )
    source = models.CharField(_("source"), max_length=500, blank=True)
    is_demo = models.BooleanField(_("demo questionnaire"), default=False)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["is_demo", "key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"],
                name="plans_questionnaire_unique_version",
                violation_error_message=_("This version of the questionnaire exists already."),
            )
        ]

    def __str__(self):
        return "{} (v{})".format(resolve(self.title)[0] or self.key, self.version)

    def get_absolute_url(self):
        return reverse("plans:questionnaire", kwargs={"pk": self.pk})

    def definition(self):
        """The engine's read-only :class:`~capacityhub.plans.engine.Definition` of this questionnaire
        (cached on the instance)."""
        cached = getattr(self, "_definition", None)
        if cached is None:
            from ..selectors import questionnaire_definition

            cached = self._definition = questionnaire_definition(self)
        return cached


class Section(models.Model):
    """A section of a questionnaire (an article of the Protocol, an area of a plan)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="sections"
    )
    key = models.CharField(_("key"), max_length=80)
    title = MultilingualField(_("title"), max_length=500)
    description = MultilingualField(_("description"), blank=True, textarea=True)
    footnote = MultilingualField(_("footnote"), blank=True, textarea=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"],
                name="plans_section_unique_key",
                violation_error_message=_("Another section of this questionnaire has this key."),
            )
        ]

    def __str__(self):
        return resolve(self.title)[0] or self.key


class Question(models.Model):
    """A question: its type, options (``[{"value", "title", "input", "exclusive"}]``), whether it is
    mandatory, and its skip logic (``enabled_when``: conditions on earlier answers, one of which must
    hold)."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    key = models.CharField(_("key"), max_length=80)
    number = models.CharField(_("number"), max_length=20, blank=True)
    type = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    title = MultilingualField(_("text"), max_length=4000, textarea=True)
    help = MultilingualField(_("help"), blank=True, textarea=True)
    footnote = MultilingualField(_("footnote"), blank=True, textarea=True)
    mandatory = models.BooleanField(_("mandatory"), default=False)
    options = models.JSONField(_("options"), default=list, blank=True)
    vocabulary = models.ForeignKey(
        "reference.Vocabulary",
        verbose_name=_("vocabulary"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For vocabulary-term questions: the vocabulary the options come from."),
    )
    enabled_when = models.JSONField(
        _("enabled when"),
        default=list,
        blank=True,
        help_text=_(
            'Conditions, one of which must hold: [{"question": "Q026", "op": "any_of", "values": ["true"]}].'
        ),
    )
    hidden_when_disabled = models.BooleanField(_("hidden when not applicable"), default=False)
    placeholder = models.CharField(_("placeholder"), max_length=40, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    plan_area = models.ForeignKey(
        "plans.PlanArea",
        verbose_name=_("plan area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    plan_element = models.ForeignKey(
        "plans.PlanElement",
        verbose_name=_("plan element"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    plan_indicator = models.ForeignKey(
        "plans.PlanIndicator",
        verbose_name=_("indicator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    role = models.CharField(_("role"), max_length=20, choices=QuestionRole.choices, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"],
                name="plans_question_unique_key",
                violation_error_message=_("Another question of this questionnaire has this key."),
            )
        ]
        indexes = [models.Index(fields=["questionnaire", "role"], name="plans_question_role")]

    def __str__(self):
        return "{} {}".format(self.number or self.key, (resolve(self.title)[0] or "")[:80])


class QuestionPlanLink(models.Model):
    """A question (or one option of it) of a questionnaire that speaks about an area or element of a plan,
    e.g. question 119 of the fifth national report (“in which of the following areas were these activities
    undertaken”), whose options are the 2006 plan's key areas. Stored as data
    (``plans/data/questionnaires/plan-links-*.json``); the area and element pages quote the answers."""

    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="plan_links"
    )
    option = models.CharField(
        _("option"),
        max_length=255,
        blank=True,
        help_text=_("The option that names the plan's part; empty when the whole question is about it."),
    )
    plan_area = models.ForeignKey(
        "plans.PlanArea", verbose_name=_("plan area"), on_delete=models.CASCADE, related_name="question_links"
    )
    plan_element = models.ForeignKey(
        "plans.PlanElement",
        verbose_name=_("plan element"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="question_links",
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("question about a plan part")
        verbose_name_plural = _("questions about plan parts")
        ordering = ["plan_area", "question__questionnaire", "question__position", "option"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "option", "plan_area", "plan_element"],
                name="plans_questionplanlink_unique",
                violation_error_message=_("This question is linked to this part of the plan already."),
            )
        ]

    def __str__(self):
        return "{} {} → {}".format(self.question, self.option, self.plan_element or self.plan_area)
