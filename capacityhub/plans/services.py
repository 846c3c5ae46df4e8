"""Writes of the plans app. Submissions are records: they are written through ``core.services`` (permission
gate, versions, search index, optimistic locking); the Secretariat's writes (plans, questionnaires, cycles,
reports) check that the actor is the Secretariat."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from capacityhub.core import permissions, services

from . import engine, generator, planfiles
from .choices import ReportState
from .models import OrganizationSubmission, ReportingCycle, Submission, SynthesisReport


def _require_secretariat(actor):
    if actor is not None and not (actor.is_authenticated and actor.is_secretariat):
        raise PermissionDenied(_("Only the Secretariat may do this."))


def can_start_submission(user):
    """Whether ``user`` may start a submission at all: national users, organization publishers,
    Secretariat."""
    if not user.is_authenticated:
        return False
    return bool(
        user.is_secretariat or permissions.member_scope_ids(user, Submission) or user.organization_ids()
    )


# -- submissions -----------------------------------------------------------------------------------------
@transaction.atomic
def submission_start(*, cycle, actor, country=None, organization=None, title=None, original_language="en"):
    """Start ``country``'s or ``organization``'s draft submission for ``cycle``.

    A national submission may be started by the country's focal points and authorized users; an
    organization's by its publishers; any by the Secretariat."""
    if bool(country) == bool(organization):
        raise ValidationError(_("Choose either a country or an organization."))
    if not cycle.accepts("country" if country else "organization"):
        raise ValidationError(
            _("This cycle invites {respondents} only.").format(
                respondents=cycle.get_respondents_display().lower()
            )
        )
    if organization is not None:
        if actor is not None and not actor.is_secretariat and organization.pk not in actor.organization_ids():
            raise PermissionDenied(_("Only a publisher of this organization may start its submission."))
        record = OrganizationSubmission(cycle=cycle, organization=organization)
    else:
        record = Submission(cycle=cycle, country=country)
    record.title = title or {}
    record.original_language = original_language
    from .definitions import respondent_question

    key = respondent_question(cycle.questionnaire) if country is not None else ""
    if key and key in cycle.questionnaire.definition():
        record.answers = {key: country.localized_name(original_language)}
    record = services.record_save(record=record, actor=actor, comment=_("Submission started."))
    return Submission.objects.get(pk=record.pk)


@transaction.atomic
def submission_save_answers(*, submission, actor, answers, explanations=None, keys=None, base_revision=None):
    """Save answers (checked already, e.g. by :func:`engine.parse_form` or :func:`engine.check_values`).

    With ``keys`` (the questions of the page that was posted), the answers to those questions are replaced and
    the others kept; without, all answers are replaced. Answers to questions the skip logic disables are then
    dropped. Returns ``(submission, dropped keys)``. Raises ``EditConflict`` when ``base_revision`` is not the
    current revision."""
    definition = submission.cycle.questionnaire.definition()
    explanations = explanations or {}
    if keys is None:
        merged, merged_explanations = dict(answers), dict(explanations)
    else:
        keys = set(keys)
        merged = {k: v for k, v in submission.answers.items() if k not in keys}
        merged.update({k: v for k, v in answers.items() if k in keys})
        merged_explanations = {k: v for k, v in submission.explanations.items() if k not in keys}
        merged_explanations.update({k: v for k, v in explanations.items() if k in keys})
    kept, kept_explanations, dropped = engine.apply_skip_logic(definition, merged, merged_explanations)
    submission.answers = kept
    submission.explanations = kept_explanations
    submission = services.record_save(record=submission, actor=actor, base_revision=base_revision)
    return submission, [key for key in dropped if key in merged and engine.is_answered(merged[key])]


# -- the Secretariat's writes ----------------------------------------------------------------------------
@transaction.atomic
def cycle_save(*, cycle, actor):
    """Create or update a reporting cycle."""
    _require_secretariat(actor)
    cycle.full_clean()
    cycle.save()
    return cycle


def plan_import(*, data, actor, source=""):
    """Import a plan file (see :mod:`capacityhub.plans.planfiles`); ``PlanFileError`` lists the problems."""
    _require_secretariat(actor)
    return planfiles.import_plan(data, source=source or _("uploaded file"))


UPLOAD_PLAN, UPLOAD_CROSSWALK, UPLOAD_QUESTIONNAIRE = "plan", "crosswalk", "questionnaire"


def upload_kind(data):
    """What an uploaded JSON file is: a questionnaire definition (it has ``sections``), a crosswalk file (a
    ``crosswalk`` without ``areas``) or a plan file."""
    from .crosswalks import is_crosswalk_file

    if isinstance(data, dict) and "sections" in data:
        return UPLOAD_QUESTIONNAIRE
    if is_crosswalk_file(data):
        return UPLOAD_CROSSWALK
    return UPLOAD_PLAN


class _DryRun(Exception):
    pass


def upload_import(*, data, actor, kind=None, dry_run=False, source=""):
    """Import an uploaded plan file, crosswalk file or questionnaire definition (the Secretariat only).

    Returns ``(kind, object, [LoadResult])``; with ``dry_run`` everything is done and then rolled back, so
    the results say what the import would do and nothing is written. Problems raise ``PlanFileError`` (for
    every kind; each message says where), and then nothing is changed."""
    from . import crosswalks, definitions

    _require_secretariat(actor)
    kind = kind or upload_kind(data)
    outcome = {}

    def run():
        if kind == UPLOAD_CROSSWALK:
            outcome["object"], outcome["results"] = crosswalks.import_crosswalk(data)
        elif kind == UPLOAD_QUESTIONNAIRE:
            outcome["object"], outcome["results"] = _questionnaire_import(data)
        else:
            outcome["object"], outcome["results"] = planfiles.import_plan(
                data, source=source or _("uploaded file")
            )

    try:
        with transaction.atomic():
            run()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except definitions.QuestionnaireFileError as error:
        raise planfiles.PlanFileError(error.messages) from error
    return kind, outcome["object"], outcome["results"]


def _questionnaire_import(data):
    from . import definitions
    from .models import Plan, Questionnaire

    if not isinstance(data, dict):
        raise planfiles.PlanFileError([_("A questionnaire file is a JSON object with a list of sections.")])
    plan = None
    if data.get("plan"):
        plan = Plan.objects.filter(key=data["plan"]).first()
        if plan is None:
            raise planfiles.PlanFileError([_("plan: no plan has the key {key}.").format(key=data["plan"])])
    definitions.check_definition(data)
    existing = Questionnaire.objects.filter(key=data["key"], version=data.get("version", 1)).first()
    if existing is not None and existing.cycles.filter(submissions__isnull=False).exists():
        if definitions.structure(definitions.export_definition(existing)) != definitions.structure(data):
            raise planfiles.PlanFileError(
                [
                    _(
                        "version: version {version} of {key} has submissions and its questions would change; "
                        "give the file a new version."
                    ).format(version=existing.version, key=existing.key)
                ]
            )
    return definitions.load_definition(data, plan=plan)


def status_questionnaire_generate(*, plan, actor):
    """Create or refresh the plan's status-of-implementation questionnaire."""
    _require_secretariat(actor)
    from .selectors import is_reportable

    if not is_reportable(plan):
        raise ValidationError(
            _("This plan cannot be reported on yet: enter its areas, and elements under every area or none.")
        )
    return generator.generate_status_questionnaire(plan)


@transaction.atomic
def plan_unit_link_initiative(*, unit, initiative, actor, unlink=False):
    """Link (or unlink) an initiative to a plan area or element: allowed to whoever may edit the
    initiative."""
    if actor is not None and not permissions.can(actor, permissions.CHANGE, initiative):
        raise PermissionDenied(_("You may not edit this initiative."))
    if unlink:
        unit.initiatives.remove(initiative)
    else:
        unit.initiatives.add(initiative)
    return unit


def synthesis_report_request(*, cycle, report_format, actor, language="en"):
    """Queue the building of a synthesis report file; the background task reports its progress."""
    _require_secretariat(actor)

    report = SynthesisReport.objects.create(
        cycle=cycle,
        format=report_format,
        language=language,
        requested_by=actor if actor is not None and actor.is_authenticated else None,
        state=ReportState.QUEUED,
    )
    transaction.on_commit(lambda: _enqueue(report.pk))
    return report


def _enqueue(report_pk):
    from .tasks import build_synthesis_report

    result = build_synthesis_report.enqueue(report_pk)
    SynthesisReport.objects.filter(pk=report_pk, task_id="").update(task_id=str(result.id)[:64])


def latest_cycle_or_none():
    return ReportingCycle.objects.order_by("-deadline", "-pk").first()
