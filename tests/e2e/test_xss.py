"""A corpus of XSS payloads entered through every text field of every record type (each language of the
multilingual ones, inline rows too) and through a CSV import; then every page where the text appears — list,
detail, history, search results, dashboard — opened in Chromium. No script runs: no dialog opens,
``window.__xss`` stays unset, and no element carries an event handler, a ``javascript:`` link or an
``iframe srcdoc`` that the page does not have by itself. The browser ignores the Content Security Policy
here (``bypass_csp``), so the escaping is what is tested, not the second line of defense. SQL-looking input
is stored and shown as the text it is."""

import csv
import io
import itertools

from django import forms
from django.http import QueryDict
from django.test import Client
from django.utils import translation

from capacityhub.core import exports, services
from capacityhub.core.choices import Status
from capacityhub.core.multilingual import MultilingualFormField
from capacityhub.core.registry import registry
from capacityhub.core.testing.cases import CASES
from capacityhub.core.testing.factories import RoleSet, make_record
from capacityhub.interop import imports

HOOK = "window.__xss=1;alert(1)"
PAYLOADS = [
    "<script>{}</script>".format(HOOK),
    '"><img src=x onerror="{}">'.format(HOOK),
    "'><svg onload={}>".format(HOOK),
    "<svg><script>{}</script></svg>".format(HOOK),
    "[click me](javascript:{})".format(HOOK),
    "[a](javascript&#58;{}) <javascript:{}>".format(HOOK, HOOK),
    '<a href="javascript:{}">link</a>'.format(HOOK),
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    "</textarea></title><script>{}</script>".format(HOOK),
    "<details open ontoggle={}>".format(HOOK),
    '" autofocus onfocus="{}" x="'.format(HOOK),
    '![x](x" onerror="{})'.format(HOOK),
    "<math><mtext><table><mglyph><style><img src=x onerror={}>".format(HOOK),
]
SQL = ["Robert'); DROP TABLE registry_initiative;--", "' OR '1'='1' --"]
INJECTED = """() => {
  const bad = document.querySelectorAll(
    '[onerror],[onload],[ontoggle],[onfocus],[onmouseover],[onclick],iframe[srcdoc],' +
    'a[href^="javascript:" i],script:not([src]):not([type="application/json"])');
  return Array.from(bad).map(e => e.outerHTML.slice(0, 200));
}"""
_words = itertools.count(1)


def text_keys(form_class, prefix, user):
    """The data keys of the text inputs of a form (every language of a multilingual field)."""
    try:
        form = form_class(user=user)
    except TypeError:
        form = form_class()
    keys = []
    for name, field in form.fields.items():
        key = "{}{}".format(prefix, name)
        if isinstance(field, MultilingualFormField):
            keys += ["{}_{}".format(key, code) for code in ("en", "es", "fr")]
        elif (
            isinstance(field, forms.CharField)
            and not isinstance(field, forms.URLField | forms.EmailField | forms.SlugField)
            and not isinstance(field.widget, forms.HiddenInput)
            and not getattr(field, "choices", None)
        ):
            keys.append(key)
    return keys


def hostile_data(rt, case, roles, user, word):
    """The record type's valid form data with a payload in every text input (the title: a findable one)."""
    data = case.form_data(roles, "placeholder")
    keys = text_keys(rt.form, "", user)
    for formset_class in rt.inlines:
        rows = int(data.get("{}-TOTAL_FORMS".format(formset_class.prefix_name), 0))
        for row in range(rows):
            prefix = "{}-{}-".format(formset_class.prefix_name, row)
            keys += text_keys(formset_class.form, prefix, user)
    payloads = itertools.cycle(PAYLOADS + SQL)
    for key in keys:
        data[key] = next(payloads)
    title_field = rt.model.title_field
    data["{}_en".format(title_field)] = "Xss{} {} {}".format(word, PAYLOADS[0], SQL[0])
    return data, keys


def enter_through_forms(rt, roles, word):
    """Post the form as the member who drafts such records; then publish it if the workflow lets it."""
    case = CASES[rt.key]
    member, _publisher, _outsider = case.members(roles)
    client = Client()
    client.force_login(member)
    data, keys = hostile_data(rt, case, roles, member, word)
    model = rt.model
    before = set(model.objects.values_list("pk", flat=True))
    response = client.post(rt.url("add"), data)
    if response.status_code == 400:  # a field that refuses the markup (or its length) is fine: restore it
        refused = set(response.context["form"].errors)
        for formset in response.context.get("inlines", []):
            for row, errors in enumerate(formset.errors):
                refused |= {"{}-{}-{}".format(formset.prefix, row, name) for name in errors}
        valid = case.form_data(roles, "placeholder")
        for key in keys:
            if key in refused or key.rsplit("_", 1)[0] in refused:
                data[key] = valid.get(key, "")
        response = client.post(rt.url("add"), data)
    assert response.status_code == 302, (
        rt.key,
        response.context and response.context["form"].errors,
        [f.errors for f in (response.context or {}).get("inlines", [])],
    )
    (pk,) = set(model.objects.values_list("pk", flat=True)) - before
    record = model.objects.get(pk=pk)
    try:
        services.record_transition(record=record, action="publish", actor=None)
    except Exception:  # e.g. an incomplete submission stays a draft: the Secretariat still sees it
        pass
    record.refresh_from_db()
    assert len(keys) >= 1
    return record, member


def enter_through_csv(rt, roles, word):
    """Export one record as CSV, put payloads in its text columns, import it back as the Secretariat."""
    other = {"country": roles.country_b} if rt.key == "countryprofile" else {}
    record = make_record(rt.key, title="Imported {}".format(word), **other)
    output = io.BytesIO()
    exports.write(rt, QueryDict(), output, user=roles.admin, format="csv", layout="wide")
    rows = list(csv.DictReader(io.StringIO(output.getvalue().decode("utf-8-sig"))))
    rows = [row for row in rows if row["id"] == str(record.pk)]
    title_column = "{}_en".format(rt.model.title_field)
    payloads = itertools.cycle(PAYLOADS + SQL)
    for column in rows[0]:
        if column.endswith(("_en", "_es", "_fr")) and column != title_column:
            rows[0][column] = next(payloads)
    rows[0][title_column] = "Csv{} {} {}".format(word, PAYLOADS[1], SQL[1])
    data = io.StringIO()
    writer = csv.DictWriter(data, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    result = imports.import_records(
        record_type=rt,
        fileobj=io.BytesIO(data.getvalue().encode("utf-8-sig")),
        name="hostile.csv",
        actor=roles.admin,
        dry_run=False,
    )
    assert result.valid and result.updated == 1, (rt.key, result.errors)
    record.refresh_from_db()
    return record


def session_cookie(live_server, user):
    client = Client()
    client.force_login(user)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}


def check_page(page, url, dialogs, expect_text=None, expect_link=None):
    response = page.goto(url)
    assert response.status < 400, url
    assert not dialogs, "a dialog opened on {}: {}".format(url, dialogs)
    assert page.evaluate("() => window.__xss") in (None, 0), "script ran on {}".format(url)
    injected = page.evaluate(INJECTED)
    assert not injected, "markup from the payload on {}: {}".format(url, injected)
    if expect_text:
        assert expect_text in page.inner_text("body"), "{} does not show {!r}".format(url, expect_text)
    if expect_link:
        assert page.locator('main a[href="{}"]'.format(expect_link)).count(), "{} misses it".format(url)


def test_no_payload_runs_on_any_page(live_server, browser, reference_data):
    roles = RoleSet.create()
    entered = []
    with translation.override("en"):
        for rt in registry:
            word = next(_words)
            record, member = enter_through_forms(rt, roles, word)
            entered.append((rt, record, member, "Xss{}".format(word), SQL[0]))
            word = next(_words)
            entered.append((rt, enter_through_csv(rt, roles, word), None, "Csv{}".format(word), SQL[1]))
    context = browser.new_context(bypass_csp=True)
    dialogs = []
    context.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    context.add_cookies([session_cookie(live_server, roles.admin)])
    page = context.new_page()
    page.set_default_timeout(15000)
    # The hooks can fail: markup that does run is caught by all three.
    page.set_content('<img src="x" onerror="{}">'.format(HOOK))
    page.wait_for_function("() => window.__xss === 1")
    assert dialogs == ["1"] and page.evaluate(INJECTED)
    dialogs.clear()
    base = live_server.url
    try:
        for rt, record, _member, word, sql in entered:
            detail = base + record.get_absolute_url()
            check_page(page, detail, dialogs, expect_text=sql)
            check_page(page, detail.replace("/en/", "/es/", 1), dialogs)
            check_page(page, base + rt.url("history", pk=record.pk), dialogs)
            check_page(page, base + rt.url("list"), dialogs)
            found = "{}{}?q={}".format(base, rt.url("list"), word)
            check_page(page, found, dialogs, expect_link=record.get_absolute_url())
        check_page(page, base + "/en/dashboard/", dialogs)
        check_page(page, base + "/en/", dialogs)
        members = {member.pk: member for _rt, _record, member, _w, _s in entered if member is not None}
        for member in members.values():  # each author's dashboard lists their records
            context.clear_cookies()
            context.add_cookies([session_cookie(live_server, member)])
            check_page(page, base + "/en/dashboard/", dialogs)
    finally:
        context.close()
    statuses = {record.status for _rt, record, *_rest in entered}
    assert Status.PUBLISHED in statuses
