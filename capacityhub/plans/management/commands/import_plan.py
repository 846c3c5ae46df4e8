"""``manage.py import_plan FILE``: import a plan file (a new plan, or the completion of an existing one)."""

from django.core.management.base import BaseCommand, CommandError

from capacityhub.plans import planfiles


class Command(BaseCommand):
    help = "Import a plan file (JSON, the shape of the plans' export). A plan with the same key is updated."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the plan file.")

    def handle(self, *args, **options):
        try:
            with open(options["file"], "rb") as handle:
                data = planfiles.read_plan_file(handle)
            plan, results = planfiles.import_plan(data, source=options["file"])
        except OSError as error:
            raise CommandError(str(error)) from error
        except planfiles.PlanFileError as error:
            raise CommandError("The plan was not imported:\n- " + "\n- ".join(error.messages)) from error
        for result in results:
            self.stdout.write(str(result))
        self.stdout.write(self.style.SUCCESS("Imported {}.".format(plan.key)))
