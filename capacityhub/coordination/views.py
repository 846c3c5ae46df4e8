"""Pages of the coordination analytics. Thin: each asks the calculation layer and renders; every figure
counts only what the reader may see. Everything works without JavaScript."""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from capacityhub.core import permissions
from capacityhub.reference.models import Country, Organization, Term

from . import charts, matching, selectors, services, similarity
from .analysis import last_run
from .choices import Decision, State
from .coverage import METRICS, Filters, cell_initiatives, cell_needs, coverage, heat_classes
from .explain import explain_all
from .gaps import find_gaps, gap_needs
from .models import ExchangeRate, InitiativeMerge

PAGE_SIZE = 25


def csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="{}"'.format(filename)
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


class FiltersMixin:
    nav_section = "coordination"

    def get_filters(self):
        return Filters.from_query(self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = self.get_filters()
        context.update(
            filters=filters,
            options=selectors.filter_options(),
            states=State.choices,
            filter_query=filters.key(),
            last_run=last_run(),
            nav_section="coordination",
        )
        return context


class CoverageView(FiltersMixin, TemplateView):
    """The heat map: countries (grouped by CBD regional group) × thematic areas."""

    template_name = "coordination/coverage.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            cov = coverage(request.user, self.get_filters())
            header = ["country", "iso2", "area", "active", "planned", "funding_usd", "open_needs"]
            rows = [
                [
                    c.name,
                    c.iso2,
                    a.code,
                    int(cov.active[i, j]),
                    int(cov.planned[i, j]),
                    round(cov.funding[i, j], 2),
                    int(cov.needs[i, j]),
                ]
                for i, c in enumerate(cov.countries)
                for j, a in enumerate(cov.areas)
                if cov.active[i, j] or cov.planned[i, j] or cov.needs[i, j]
            ]
            return csv_response("coverage.csv", header, rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = context["filters"]
        metric = self.request.GET.get("metric")
        metric = metric if metric in METRICS else "initiatives"
        cov = coverage(self.request.user, filters)
        values = cov.matrix(metric)
        levels = heat_classes(values)
        show_all = self.request.GET.get("all") == "1"
        local = cov.initiatives_matrix - (cov.global_active + cov.global_planned)[None, :]
        cell_base = "{}?{}{}cell_country=".format(
            reverse("coordination:cell"), filters.key(), "&" if filters.key() else ""
        )
        fmt = metric_formatter(metric)
        rows = []
        for i, country in enumerate(cov.countries):
            if not show_all and not (local[i].any() or cov.needs[i].any()):
                continue
            group = cov.groups.get(country.pk, ("", _("Other countries and territories")))
            href = cell_base + country.iso2 + "&cell_area="
            rows.append(
                {
                    "country": country,
                    "group": group,
                    "cells": [
                        {
                            "href": href + area.code,
                            "text": fmt(values[i, j]),
                            "level": levels[i, j],
                            "gap": bool(cov.needs[i, j] and not cov.initiatives_matrix[i, j]),
                        }
                        for j, area in enumerate(cov.areas)
                    ],
                    "total": fmt(values[i].sum()),
                }
            )
        rows.sort(key=lambda r: (r["group"][0] == "", r["group"][1], r["country"].name))
        context.update(
            coverage=cov,
            metric=metric,
            metrics=METRIC_LABELS,
            rows=rows,
            show_all=show_all,
            global_row=[
                {
                    "area": a,
                    "value": {
                        "funding": cov.global_funding[j],
                        "active": cov.global_active[j],
                        "planned": cov.global_planned[j],
                    }.get(metric, cov.global_active[j] + cov.global_planned[j]),
                }
                for j, a in enumerate(cov.areas)
            ],
            reliance=cov.reliance,
        )
        return context


def metric_formatter(metric):
    from .templatetags.coordination import metric_value

    return lambda value: metric_value(value, metric)


METRIC_LABELS = [
    ("initiatives", gettext_lazy("Active and planned initiatives")),
    ("active", gettext_lazy("Active initiatives")),
    ("planned", gettext_lazy("Planned initiatives")),
    ("funding", gettext_lazy("Funding (US dollars)")),
    ("needs", gettext_lazy("Open needs")),
    ("gaps", gettext_lazy("Needs without an initiative")),
]


class CellView(FiltersMixin, TemplateView):
    """The records behind one cell of the heat map."""

    template_name = "coordination/cell.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = get_object_or_404(Country, iso2=(self.request.GET.get("cell_country") or "").upper())
        area = get_object_or_404(
            Term, vocabulary__code="thematic-areas", code=self.request.GET.get("cell_area") or ""
        )
        filters = context["filters"]
        initiatives = (
            cell_initiatives(self.request.user, filters, country, area)
            .select_related("activity_status", "publisher")
            .order_by("-planned_start", "pk")
        )
        page = Paginator(initiatives, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            country=country,
            area=area,
            page=page,
            initiatives=page.object_list,
            needs=cell_needs(self.request.user, country, area).order_by("-created_at")[:50],
            direct_list=reverse("registry:initiative_list")
            + "?country={}&area={}".format(country.iso2, area.code),
        )
        return context


class MapView(FiltersMixin, TemplateView):
    """A choropleth world map of the coverage, drawn on the server as SVG."""

    template_name = "coordination/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        metric = self.request.GET.get("metric")
        metric = metric if metric in METRICS else "initiatives"
        cov = coverage(self.request.user, context["filters"])
        shapes, legend = charts.choropleth(cov, metric)
        values = cov.matrix(metric).sum(axis=1)
        table = sorted(
            ((c, float(v)) for c, v in zip(cov.countries, values, strict=True) if v > 0), key=lambda r: -r[1]
        )
        context.update(
            metric=metric,
            metrics=METRIC_LABELS,
            shapes=shapes,
            legend=legend,
            table=table,
            missing=charts.countries_missing_from_map(cov, metric),
            width=charts.MAP_WIDTH,
            height=charts.MAP_HEIGHT,
        )
        return context


class ChartsView(FiltersMixin, TemplateView):
    """Bar charts by donor, implementer, region and year, each with its table and CSV export."""

    template_name = "coordination/charts.html"

    def get(self, request, *args, **kwargs):
        kind = request.GET.get("export")
        if kind in charts.CHART_KINDS:
            filters = self.get_filters()
            bars = charts.chart(request.user, filters, kind, coverage(request.user, filters))
            return csv_response(
                "coverage-by-{}.csv".format(kind),
                [kind, "initiatives", "budget_usd"],
                [[b.label, b.count, round(b.usd, 2)] for b in bars],
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = context["filters"]
        cov = coverage(self.request.user, filters)
        context["charts"] = [
            {"kind": kind, "title": title, "bars": charts.chart(self.request.user, filters, kind, cov)}
            for kind, title in charts.CHART_KINDS.items()
        ]
        context["rates"] = ExchangeRate.objects.all()
        context["unconverted"] = cov.unconverted
        return context


class GapsView(FiltersMixin, TemplateView):
    template_name = "coordination/gaps.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            gaps = find_gaps(request.user, self.get_filters())
            needs = gap_needs(gaps, gaps.need_ids[:5000])
            return csv_response(
                "gaps.csv",
                ["need", "country", "uncovered_areas", "priority", "age_days", "url"],
                [
                    [
                        n.display_title(),
                        n.country.iso2,
                        ";".join(a.code for a in n.uncovered_areas),
                        n.priority,
                        n.age_days,
                        request.build_absolute_uri(n.get_absolute_url()),
                    ]
                    for n in needs
                ],
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        gaps = find_gaps(self.request.user, context["filters"])
        page = Paginator(gaps.need_ids, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            gaps=gaps, page=page, needs=gap_needs(gaps, list(page.object_list)), reliance=gaps.reliance
        )
        return context


class PairsView(FiltersMixin, TemplateView):
    """Possible overlaps (``kind = "overlap"``) or likely duplicates, with review actions."""

    template_name = "coordination/pairs.html"
    kind = "overlap"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = self.request.GET.get("review") or "pending"
        review = review if review in selectors.REVIEW_FILTERS else "pending"
        strength = self.request.GET.get("strength") or "all"
        strength = strength if strength in selectors.STRENGTHS else "all"
        pairs = selectors.visible_pairs(self.request.user, self.kind, context["filters"], review, strength)
        page = Paginator(pairs, PAGE_SIZE).get_page(self.request.GET.get("page"))
        items = explain_all(page.object_list)
        user = self.request.user
        for pair in items:
            pair.pair_records = [pair.initiative_a, pair.initiative_b]
            pair.strong = similarity.is_overlap_value(pair.score, pair.text_similarity)
            pair.can_review = services.can_review(user, pair.initiative_a, pair.initiative_b)
            pair.can_merge = self.kind == "duplicate" and services.can_merge(
                user, pair.initiative_a, pair.initiative_b
            )
        context.update(
            kind=self.kind,
            pairs=items,
            pair_reliance=selectors.pair_reliance(pairs),
            page=page,
            review=review,
            strength=strength,
            reviews=[("pending", _("Not reviewed")), *Decision.choices, ("all", _("All"))],
            decisions=Decision.choices,
        )
        return context


class ReviewView(LoginRequiredMixin, View):
    """POST: record, change or withdraw the decision on a pair."""

    def post(self, request, a, b):
        initiative_a, initiative_b, _pair = selectors.pair_for(request.user, a, b)
        if initiative_a is None or initiative_b is None:
            raise Http404
        try:
            if request.POST.get("decision") == "withdraw":
                services.pair_review_withdraw(
                    initiative_a=initiative_a, initiative_b=initiative_b, actor=request.user
                )
                messages.success(request, _("The decision was withdrawn: the pair is pending again."))
            else:
                services.pair_review(
                    initiative_a=initiative_a,
                    initiative_b=initiative_b,
                    decision=request.POST.get("decision", ""),
                    comment=request.POST.get("comment", ""),
                    actor=request.user,
                )
                messages.success(
                    request, _("Your decision was recorded; it stays whatever later analyses find.")
                )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not review this pair."))
        return HttpResponseRedirect(_safe_next(request, reverse("coordination:overlaps")))


def _safe_next(request, default):
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


class MergeView(LoginRequiredMixin, TemplateView):
    """Confirm and merge a duplicate initiative into the one kept."""

    template_name = "coordination/merge.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        a, b, self.pair = selectors.pair_for(request.user, kwargs["a"], kwargs["b"])
        if a is None or b is None:
            raise Http404
        keep_id = request.POST.get("keep") or request.GET.get("keep") or a.pk
        self.keep, self.duplicate = (a, b) if str(keep_id) == str(a.pk) else (b, a)
        if not services.can_merge(request.user, self.keep, self.duplicate):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(keep=self.keep, duplicate=self.duplicate, pair=self.pair, nav_section="coordination")
        if self.pair:
            context["reasons"] = explain_all([self.pair])[0].reasons
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.initiative_merge(
                keep=self.keep,
                duplicate=self.duplicate,
                actor=request.user,
                comment=request.POST.get("comment", ""),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return HttpResponseRedirect(request.path)
        messages.success(
            request, _("Merged: every reference now points at this initiative; the duplicate is archived.")
        )
        return HttpResponseRedirect(self.keep.get_absolute_url())


class CheckView(TemplateView):
    """Which existing initiatives may a new one duplicate? GET: a small form; POST: the fields of the
    initiative form (the "Check for similar initiatives" button of that form posts here, or the fragment is
    fetched while the form is filled in)."""

    template_name = "coordination/check.html"

    def post(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(data=request.POST))

    def get_template_names(self):
        if self.request.GET.get("fragment") or self.request.headers.get("HX-Request"):
            return ["coordination/_check_results.html"]
        return [self.template_name]

    def get_context_data(self, data=None, **kwargs):
        context = super().get_context_data(**kwargs)
        data = data if data is not None else self.request.GET
        draft = selectors.draft_from(data)
        checked = bool(draft["title"] or draft["description"] or draft["identifiers"])
        results = selectors.check_initiative(self.request.user, draft) if checked else []
        context.update(
            results=results,
            checked=checked,
            draft=draft,
            query_title=data.get("title") or data.get("title_en") or "",
            countries=Country.objects.order_by("name_en"),
            areas=Term.objects.of("thematic-areas").order_by("position"),
            nav_section="coordination",
        )
        return context


class QualityView(LoginRequiredMixin, TemplateView):
    """Quality of the shared information: by organization and by country for the Secretariat; a publisher
    sees their organizations' records."""

    template_name = "coordination/quality.html"

    def get_context_data(self, **kwargs):
        from .quality_summary import quality_by

        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(quality_by(user), nav_section="coordination")
        return context


class NeedMatchesView(TemplateView):
    """Matchmaking for one need (also as a fragment for the need's page)."""

    template_name = "coordination/need_matches.html"

    def get_context_data(self, **kwargs):
        from capacityhub.registry.models import Need

        context = super().get_context_data(**kwargs)
        need = get_object_or_404(permissions.restrict(Need.objects.all(), self.request.user), pk=kwargs["pk"])
        context.update(
            need=need, matches=matching.matches_for_need(self.request.user, need), nav_section="coordination"
        )
        return context


class OrganizationPartnersView(TemplateView):
    template_name = "coordination/organization_partners.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = get_object_or_404(
            permissions.restrict(Organization.objects.all(), self.request.user), pk=kwargs["pk"]
        )
        context.update(
            organization=organization,
            partners=matching.partners_for(self.request.user, organization),
            nav_section="coordination",
        )
        return context


def merged_into(initiative):
    return InitiativeMerge.objects.filter(duplicate=initiative).select_related("kept").first()
