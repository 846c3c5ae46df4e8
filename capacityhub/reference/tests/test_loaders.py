"""The reference data loaders: what they load, that they are idempotent, and that they repair drifted rows."""

import re
import xml.etree.ElementTree as ET
from io import StringIO

import pycountry
import pytest
from django.core.management import call_command

from capacityhub.reference import loaders
from capacityhub.reference.choices import RegionKind, Vocabularies
from capacityhub.reference.models import Country, Region, Term, Vocabulary

LANGUAGES = ("en", "es", "fr")
GUID = re.compile(r"^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$")
THEMATIC_CODES = [
    "institutional-capacity",
    "mainstreaming",
    "risk-assessment",
    "risk-management",
    "public-awareness",
    "information-exchange",
    "collaboration",
    "technology-transfer",
    "detection",
    "socioeconomic",
    "documentation",
    "confidential-information",
    "transboundary-movements",
    "research",
    "human-health",
    "liability-redress",
    "other",
]
M49_REGIONS = ["m49-002", "m49-009", "m49-019", "m49-142", "m49-150"]
CBD_GROUPS = ["cbd-africa", "cbd-asia-pacific", "cbd-ceeu", "cbd-grulac", "cbd-weog"]


def load_all():
    """Run every loader, as ``manage.py load_reference`` does; return ``{kind: LoadResult}``."""
    results = loaders.load_countries() + loaders.load_regions() + loaders.load_vocabularies()
    return {result.kind: result for result in results}


def members(code):
    return set(Region.objects.get(code=code).countries.values_list("iso2", flat=True))


def codelist(path):
    """The codes of an IATI codelist shipped in ``data/iati-codelists``."""
    root = ET.parse(loaders.DATA_DIR / "iati-codelists" / path).getroot()
    return {item.findtext("code") for item in root.iter("codelist-item")}


@pytest.fixture
def empty_reference(db):
    """No reference data (the test database is created with it)."""
    Region.objects.all().delete()
    Term.objects.all().delete()
    Vocabulary.objects.all().delete()
    Country.objects.all().delete()


@pytest.mark.django_db
def test_countries_have_iso_codes_and_localized_names():
    load_all()
    assert Country.objects.count() == len(pycountry.countries) == 249
    germany = Country.objects.get(iso2="DE")
    assert (germany.iso3, germany.numeric, germany.name_en) == ("DEU", "276", "Germany")
    assert germany.localized_name("es") == "Alemania"
    assert germany.localized_name("fr") == "Allemagne"
    ivory_coast = Country.objects.get(iso2="CI")
    assert ivory_coast.localized_name("fr") == "Côte d’Ivoire"
    assert Country.objects.get(iso2="BO").name_en == "Bolivia"  # pycountry's common name
    for country in pycountry.countries:
        assert Country.objects.filter(
            iso2=country.alpha_2, iso3=country.alpha_3, numeric=country.numeric
        ).exists()


@pytest.mark.django_db
def test_thematic_areas_have_bch_identifiers_letters_and_labels():
    load_all()
    areas = list(Term.objects.of(Vocabularies.THEMATIC_AREAS))
    assert [area.code for area in areas] == THEMATIC_CODES
    assert all(GUID.match(area.identifier) for area in areas)
    assert len({area.identifier for area in areas}) == 17
    by_code = {area.code: area for area in areas}
    assert by_code["institutional-capacity"].identifier == "BB3CA716-E122-4445-9FAD-9F6B440363BD"
    assert by_code["liability-redress"].identifier == "667CD9B1-4571-4C2A-A459-F78E004D7D96"
    assert by_code["other"].identifier == "5B6177DD-5E5E-434E-8CB7-D63D67D5EBED"
    assert by_code["risk-management"].label == {
        "en": "Risk management",
        "es": "Gestión del riesgo",
        "fr": "Gestion des risques",
    }
    assert by_code["socioeconomic"].label["en"] == "Socioeconomic considerations"  # the NR5 label
    # The letters (a)-(o) of the 2006 Action Plan, in order, in every language of the description.
    for area, letter in zip(areas[:15], "abcdefghijklmno", strict=True):
        for language in LANGUAGES:
            assert f"({letter})" in area.description[language]
    assert "(" not in by_code["liability-redress"].description["en"]


@pytest.mark.django_db
def test_iati_based_vocabularies_use_codes_of_the_shipped_codelists():
    load_all()
    expected = {
        Vocabularies.ACTIVITY_STATUS: ("core/xml/ActivityStatus.xml", {"pipeline": "1", "closed": "4"}),
        Vocabularies.ORGANIZATION_ROLES: (
            "core/xml/OrganisationRole.xml",
            {"co-funding": "1", "executing": "3"},
        ),
        Vocabularies.ORGANIZATION_TYPES: ("non-embedded/xml/OrganisationType.xml", {"academic": "80"}),
    }
    for vocabulary, (path, samples) in expected.items():
        terms = {term.code: term.iati_code for term in Term.objects.of(vocabulary)}
        assert samples.items() <= terms.items()
        assert {code for code in terms.values() if code} <= codelist(path)
    assert (
        Term.objects.get(vocabulary__code=Vocabularies.ORGANIZATION_ROLES, code="collaborating").iati_code
        == ""
    )
    assert "IATI" in Vocabulary.objects.get(code=Vocabularies.ACTIVITY_STATUS).source


@pytest.mark.django_db
def test_every_vocabulary_and_term_is_labelled_in_english_spanish_and_french():
    load_all()
    assert set(Vocabulary.objects.values_list("code", flat=True)) == set(Vocabularies.values)
    for vocabulary in Vocabulary.objects.all():
        assert all(vocabulary.name.get(language, "").strip() for language in LANGUAGES), vocabulary.code
        assert vocabulary.source
        terms = list(vocabulary.terms.all())
        assert terms, vocabulary.code
        for term in terms:
            assert all(term.label.get(language, "").strip() for language in LANGUAGES), (
                vocabulary.code,
                term.code,
            )
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.code)
        assert [term.position for term in terms] == list(range(1, len(terms) + 1))


@pytest.mark.django_db
def test_un_regions_and_subregions_partition_the_countries():
    load_all()
    regions = Region.objects.filter(kind=RegionKind.UN_REGION)
    assert sorted(regions.values_list("code", flat=True)) == M49_REGIONS
    subregions = Region.objects.filter(kind=RegionKind.UN_SUBREGION).select_related("parent")
    assert subregions.count() == 22
    assert all(sub.parent and sub.parent.kind == RegionKind.UN_REGION for sub in subregions)
    eastern_africa = Region.objects.get(code="m49-014")
    assert eastern_africa.parent.code == "m49-002"
    assert eastern_africa.name == {"en": "Eastern Africa", "es": "África oriental", "fr": "Afrique orientale"}
    assert eastern_africa.iati_code == "1027"
    assert Region.objects.get(code="m49-002").iati_code == "298"
    assert "KE" in members("m49-014")
    # Every country or area but Antarctica is in exactly one sub-region, and in its sub-region's region.
    seen = {}
    for sub in subregions:
        for iso2 in members(sub.code):
            assert iso2 not in seen, (iso2, sub.code, seen.get(iso2))
            seen[iso2] = sub.code
        assert members(sub.code) <= members(sub.parent.code)
    assert set(seen) == set(Country.objects.values_list("iso2", flat=True)) - {"AQ"}
    iati_regions = codelist("non-embedded/xml/Region.xml")
    assert {code for code in Region.objects.values_list("iati_code", flat=True) if code} <= iati_regions


@pytest.mark.django_db
def test_cbd_regional_groups_and_special_groups():
    load_all()
    groups = Region.objects.filter(kind=RegionKind.CBD_GROUP)
    assert list(groups.values_list("code", flat=True)) == CBD_GROUPS
    assert Region.objects.get(code="cbd-africa").identifier == "D50FE62D-8A5E-4407-83F8-AFCAAF708EA4"
    assert Region.objects.get(code="cbd-weog").identifier == "0EC2E5AE-25F3-4D3A-B71F-8019BB62ED4B"
    assert all(GUID.match(group.identifier) for group in groups)
    assert all(group.name.get(language) for group in groups for language in LANGUAGES)
    sizes = {group.code: group.countries.count() for group in groups}
    assert sizes["cbd-africa"] == 54
    assert sizes["cbd-ceeu"] == 23
    assert sizes["cbd-grulac"] == 33
    # The five groups do not overlap; together they hold the 193 UN Member States and three other Parties.
    memberships = [iso2 for code in CBD_GROUPS for iso2 in members(code)]
    assert len(memberships) == len(set(memberships)) == 196
    assert {"KE", "ZA", "EG"} <= members("cbd-africa")
    assert {"IN", "CN", "FJ", "CY", "CK", "NU", "PS"} <= members("cbd-asia-pacific")
    assert {"PL", "UA", "GE", "RU"} <= members("cbd-ceeu")
    assert {"BR", "MX", "JM"} <= members("cbd-grulac")
    assert {"DE", "CA", "AU", "NZ", "TR"} <= members("cbd-weog")

    special = Region.objects.filter(kind=RegionKind.SPECIAL_GROUP)
    assert sorted(special.values_list("code", flat=True)) == ["eit", "ldc", "sids"]
    ldc, sids, eit = members("ldc"), members("sids"), members("eit")
    assert len(ldc) == 44
    assert {"AF", "BD", "HT", "ET", "KI", "TV"} <= ldc
    assert not {"BT", "ST", "VU", "GQ", "CV"} & ldc  # graduated
    assert {"JM", "FJ", "MV", "MU", "SG", "TV"} <= sids
    assert not {"GB", "NZ", "MT"} & sids
    assert {"KZ", "UA", "RS", "RU"} <= eit
    assert Region.objects.get(code="sids").name["fr"] == "Petits États insulaires en développement"


@pytest.mark.django_db
def test_loading_twice_creates_nothing_the_second_time(empty_reference):
    first = load_all()
    assert {kind: result.created for kind, result in first.items()} == {
        "countries": 249,
        "regions": Region.objects.count(),
        "region memberships": Region.countries.through.objects.count(),
        "vocabularies": len(Vocabularies.values),
        "terms": Term.objects.count(),
    }
    counts = (
        Country.objects.count(),
        Region.objects.count(),
        Vocabulary.objects.count(),
        Term.objects.count(),
    )
    second = load_all()
    assert not any(result.changed for result in second.values())
    assert {kind: result.unchanged for kind, result in second.items()} == {
        kind: result.created for kind, result in first.items()
    }
    assert (
        Country.objects.count(),
        Region.objects.count(),
        Vocabulary.objects.count(),
        Term.objects.count(),
    ) == (counts)


@pytest.mark.django_db
def test_loading_repairs_drifted_rows_and_keeps_rows_of_its_own():
    load_all()
    term = Term.objects.get(vocabulary__code=Vocabularies.TARGET_GROUPS, code="farmers")
    term.label = {"en": "Growers"}
    term.save()
    Country.objects.filter(iso2="FR").update(name_en="Gaul")
    weog = Region.objects.get(code="cbd-weog")
    weog.countries.remove(Country.objects.get(iso2="DE"))
    weog.countries.add(Country.objects.get(iso2="BR"))
    own = Term.objects.create(
        vocabulary=term.vocabulary, code="teachers", label={"en": "Teachers"}, position=99, active=False
    )

    results = load_all()

    assert (results["terms"].updated, results["countries"].updated, results["regions"].updated) == (1, 1, 1)
    assert (results["region memberships"].created, results["region memberships"].removed) == (1, 1)
    term.refresh_from_db()
    assert term.label["en"] == "Farmers"
    assert Country.objects.get(iso2="FR").name_en == "France"
    assert "DE" in members("cbd-weog") and "BR" not in members("cbd-weog")
    own.refresh_from_db()  # a term the Secretariat added is neither removed nor reactivated
    assert not own.active


@pytest.mark.django_db
def test_unknown_country_in_a_data_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "regions.json").write_text(
        '{"regions": [{"code": "x", "kind": "special_group", "name": {"en": "X"}, "countries": ["ZZ"]}]}'
    )
    monkeypatch.setattr(loaders, "DATA_DIR", tmp_path)
    with pytest.raises(loaders.ReferenceDataError, match="ZZ"):
        loaders.load_regions(paths=["regions.json"])


@pytest.mark.django_db
def test_command_prints_one_line_per_kind_and_reports_no_change_when_run_again(empty_reference):
    out = StringIO()
    call_command("load_reference", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "countries: 249 created, 0 updated, 0 unchanged"
    assert [line.split(":")[0] for line in lines[:5]] == [  # then the steps of the other apps (plans)
        "countries",
        "regions",
        "region memberships",
        "vocabularies",
        "terms",
    ]
    out = StringIO()
    call_command("load_reference", stdout=out)
    assert all(" 0 created, 0 updated" in line for line in out.getvalue().splitlines()[:-1])
    assert "unchanged" in out.getvalue().splitlines()[-1]
