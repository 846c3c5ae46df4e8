"""``manage.py synthesis_report --cycle ID|latest --format pdf|docx --output FILE [--language en|es|fr]``:
build a cycle's synthesis report file, as the background task does, and write it."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from capacityhub.plans.documents import render_docx, render_pdf
from capacityhub.plans.models import ReportingCycle
from capacityhub.plans.synthesis import build_synthesis


class Command(BaseCommand):
    help = "Write the synthesis report of a reporting cycle as a PDF or DOCX file."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="The cycle's id, or 'latest' (latest deadline).")
        parser.add_argument("--format", required=True, choices=["pdf", "docx"])
        parser.add_argument("--output", required=True, help="File to write.")
        parser.add_argument("--language", default="en", choices=[code for code, _name in settings.LANGUAGES])

    def handle(self, *args, **options):
        if options["cycle"] == "latest":
            cycle = ReportingCycle.objects.order_by("-deadline", "-pk").first()
        elif options["cycle"].isdigit():
            cycle = ReportingCycle.objects.filter(pk=int(options["cycle"])).first()
        else:
            raise CommandError("--cycle takes a number or 'latest'.")
        if cycle is None:
            raise CommandError("No such reporting cycle.")
        verbose = options["verbosity"] >= 1

        def progress(percent, message):
            if verbose:
                self.stderr.write("{:3d} % {}".format(percent, message))

        with translation.override(options["language"]):
            synthesis = build_synthesis(cycle, progress=progress)
            progress(70, "Writing the file")
            content = render_pdf(synthesis) if options["format"] == "pdf" else render_docx(synthesis)
        with open(options["output"], "wb") as handle:
            handle.write(content)
        if verbose:
            self.stdout.write(
                self.style.SUCCESS(
                    "{} ({} bytes): synthesis of “{}”.".format(options["output"], len(content), cycle)
                )
            )
