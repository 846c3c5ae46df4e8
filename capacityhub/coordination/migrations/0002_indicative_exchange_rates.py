"""Indicative exchange rates (US dollars per unit, approximate 2024 averages), so that funding figures work
on a fresh installation. The Secretariat edits them in the administration."""

from django.db import migrations

RATES = {
    "EUR": "1.08", "GBP": "1.28", "CHF": "1.14", "JPY": "0.0066", "CAD": "0.73", "AUD": "0.66",
    "NZD": "0.60", "SEK": "0.095", "NOK": "0.093", "DKK": "0.145", "CNY": "0.139", "INR": "0.012",
    "KRW": "0.00073", "BRL": "0.186", "MXN": "0.055", "COP": "0.00025", "ZAR": "0.0545", "KES": "0.0075",
    "XOF": "0.00165", "XAF": "0.00165", "EGP": "0.021", "NGN": "0.00068",
}
NOTE = "Indicative (approximate 2024 average); review before relying on funding figures."


def add_rates(apps, schema_editor):
    ExchangeRate = apps.get_model("coordination", "ExchangeRate")
    for currency, rate in RATES.items():
        ExchangeRate.objects.get_or_create(currency=currency, defaults={"usd_per_unit": rate, "note": NOTE})


class Migration(migrations.Migration):
    dependencies = [("coordination", "0001_initial")]
    operations = [migrations.RunPython(add_rates, migrations.RunPython.noop)]
