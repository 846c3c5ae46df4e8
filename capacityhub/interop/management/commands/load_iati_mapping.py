"""``manage.py load_iati_mapping``: add the IATI mapping rules of ``interop/data/iati-mapping.json`` that the
database does not have (rules there, edited or not, are left alone)."""

from django.core.management.base import BaseCommand

from capacityhub.interop.services import mapping_rules_load


class Command(BaseCommand):
    help = "Add the shipped IATI mapping rules missing from the database; existing rules are not changed."

    def handle(self, *args, **options):
        added = mapping_rules_load(actor=None)
        self.stdout.write("{} IATI mapping rules added.".format(added))
