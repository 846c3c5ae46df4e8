"""``manage.py import_questionnaire FILE [--plan KEY]``: load a questionnaire definition (the platform's JSON
shape, as ``/plans/questionnaires/<id>/export.json`` writes it), matched by key and version."""

import json

from django.core.management.base import BaseCommand, CommandError

from capacityhub.plans.definitions import QuestionnaireFileError, load_definition
from capacityhub.plans.models import Plan


class Command(BaseCommand):
    help = "Create or update a questionnaire version from a definition file (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the definition file.")
        parser.add_argument(
            "--plan", help="Key of the plan a status-of-implementation questionnaire asks about."
        )

    def handle(self, *args, **options):
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        key = options["plan"] or data.get("plan") or None
        plan = Plan.objects.filter(key=key).first() if key else None
        if key and plan is None:
            raise CommandError("No plan has the key {}.".format(key))
        try:
            questionnaire, results = load_definition(data, plan=plan)
        except QuestionnaireFileError as error:
            raise CommandError(
                "The questionnaire was not loaded:\n- " + "\n- ".join(error.messages)
            ) from error
        for result in results:
            self.stdout.write(str(result))
        self.stdout.write(self.style.SUCCESS("Loaded {}.".format(questionnaire)))
