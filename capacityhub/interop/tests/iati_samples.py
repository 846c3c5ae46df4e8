"""Small IATI documents for the tests, built from a valid biosafety activity that tests then alter."""

import io

from capacityhub.interop.services import iati_file_import

ACTIVITY = """
 <iati-activity xml:lang="en" default-currency="USD">
  <iati-identifier>{identifier}</iati-identifier>
  <reporting-org ref="{reporting}" type="40">
   <narrative>United Nations Environment Programme</narrative></reporting-org>
  <title><narrative>{title}</narrative>
   <narrative xml:lang="fr">Appui au cadre national de biosécurité</narrative>
   <narrative xml:lang="de">Unterstützung</narrative></title>
  <description type="1"><narrative>Risk assessment of LMOs and public awareness.</narrative>
   <narrative xml:lang="es">Evaluación del riesgo de los OVM.</narrative></description>
  <description type="2"><narrative>Trained regulators.</narrative></description>
  <participating-org ref="XM-DAC-47044" role="1" type="40">
   <narrative>Global Environment Facility</narrative></participating-org>
  <participating-org ref="{reporting}" role="4" type="40">
   <narrative>United Nations Environment Programme</narrative></participating-org>
  <participating-org role="3" type="10">
   <narrative>National Biosafety Authority of Kenya</narrative></participating-org>
  <other-identifier ref="GEF-4444" type="A1"/>
  <activity-status code="{status}"/>
  <activity-date iso-date="{start}" type="1"/>
  <activity-date iso-date="2020-02-01" type="2"/>
  <activity-date iso-date="{end}" type="3"/>
  <contact-info type="1"><organisation><narrative>UNEP</narrative></organisation>
   <person-name><narrative>Jane Doe</narrative></person-name>
   <job-title><narrative>Task manager</narrative></job-title>
   <telephone>+254 20 000</telephone><email>jane.doe@example.org</email></contact-info>
  {geography}
  <sector vocabulary="1" code="{sector}" percentage="100"/>
  <policy-marker vocabulary="1" code="5" significance="2"/>
  <budget type="1" status="1"><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
   <value currency="USD" value-date="2020-01-01">100000</value></budget>
  <budget type="2" status="1"><period-start iso-date="2020-01-01"/><period-end iso-date="2020-12-31"/>
   <value value-date="2020-01-01">{budget}</value></budget>
  <budget type="1" status="1"><period-start iso-date="2021-01-01"/><period-end iso-date="2021-12-31"/>
   <value currency="{currency}" value-date="2021-01-01">30000</value></budget>
  <transaction><transaction-type code="2"/><transaction-date iso-date="2020-02-01"/>
   <value value-date="2020-02-01">999</value></transaction>
  <document-link url="https://example.org/prodoc.pdf" format="application/pdf">
   <title><narrative>Project document</narrative></title><category code="A02"/></document-link>
  {extra}
 </iati-activity>"""

GEOGRAPHY = (
    '<recipient-country code="KE" percentage="60"/><recipient-country code="UG" percentage="20"/>'
    '<recipient-region code="1027" vocabulary="1" percentage="20"/>'
)


def activity(**values):
    defaults = {
        "identifier": "XM-DAC-41116-BS-1",
        "reporting": "XM-DAC-41116",
        "title": "Support to the national biosafety framework of Kenya",
        "status": "2",
        "start": "2020-01-01",
        "end": "2023-12-31",
        "geography": GEOGRAPHY,
        "sector": "41030",
        "budget": "120000",
        "currency": "USD",
        "extra": "",
    }
    defaults.update(values)
    return ACTIVITY.format(**defaults)


def document(*activities, version="2.03", root="iati-activities"):
    body = "".join(activities) if activities else activity()
    return '<?xml version="1.0" encoding="UTF-8"?>\n<{root} version="{version}">{body}\n</{root}>\n'.format(
        root=root, version=version, body=body
    ).encode("utf-8")


def run(data, actor=None, dry_run=False, name="test.xml"):
    return iati_file_import(source=io.BytesIO(data), name=name, actor=actor, dry_run=dry_run)


def rules_of(report):
    return {problem.rule for problem in report.errors}
