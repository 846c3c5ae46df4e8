"""Seed the IATI mapping rules from capacityhub/interop/data/iati-mapping.json (rules missing are added;
rules the Secretariat edited are left alone). Reversing removes nothing."""

from django.db import migrations


def seed(apps, schema_editor):
    from capacityhub.interop.iati.mapping import seed_rules

    seed_rules(apps.get_model("interop", "MappingRule"))


class Migration(migrations.Migration):
    dependencies = [("interop", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
