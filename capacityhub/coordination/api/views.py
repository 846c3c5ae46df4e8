"""The coordination figures as JSON, from the same calculation layer and with the same filters as the
pages: ``/api/coordination/coverage|gaps|overlaps|duplicates|matches|check/``."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from capacityhub.core import permissions
from capacityhub.core.multilingual import resolve
from capacityhub.reference.models import Country, Organization
from capacityhub.registry.models import Need

from .. import matching, selectors, similarity
from ..coverage import Filters, coverage
from ..explain import explain_all
from ..gaps import find_gaps, gap_needs

FILTER_PARAMETERS = [
    OpenApiParameter(name, str, description=description)
    for name, description in [
        ("donor", "Organization id with a funding role (repeatable)."),
        ("implementer", "Organization id with an implementing role (repeatable)."),
        ("status", "active, planned, closed or stopped (repeatable)."),
        ("start", "Initiatives running in or after this year."),
        ("end", "Initiatives running in or before this year."),
        ("region", "Region or group code, e.g. cbd-africa, m49-002."),
        ("group", "A second region or group code, e.g. ldc, sids."),
        ("area", "Thematic area code (repeatable)."),
        ("country", "ISO country code (repeatable)."),
    ]
]
PAGE_SIZE = 50


def _page(request, items):
    size = request.query_params.get("page_size", "")
    size = min(int(size), 500) if size.isdigit() and int(size) > 0 else PAGE_SIZE
    return Paginator(items, size).get_page(request.query_params.get("page"))


def _url(request, obj):
    return request.build_absolute_uri(obj.get_absolute_url())


def _title(obj):
    return resolve(obj.title, None, obj.original_language)[0]


class CoverageAPIView(APIView):
    """Countries × thematic areas: active and planned initiatives, funding in US dollars, open needs."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        filters = Filters.from_query(request.query_params)
        cov = coverage(request.user, filters)
        countries = []
        for i, country in enumerate(cov.countries):
            cells = [
                {
                    "area": area.code,
                    "active": int(cov.active[i, j]),
                    "planned": int(cov.planned[i, j]),
                    "funding_usd": round(float(cov.funding[i, j]), 2),
                    "open_needs": int(cov.needs[i, j]),
                }
                for j, area in enumerate(cov.areas)
                if cov.active[i, j] or cov.planned[i, j] or cov.needs[i, j] or cov.funding[i, j]
            ]
            if cells:
                group = cov.groups.get(country.pk)
                countries.append(
                    {
                        "iso2": country.iso2,
                        "name": country.name,
                        "group": group[0] if group else None,
                        "cells": cells,
                    }
                )
        return Response(
            {
                "filters": dict(filters.items()),
                "currency": "USD",
                "initiatives": cov.initiatives,
                "areas": [{"code": a.code, "label": str(a)} for a in cov.areas],
                "countries": countries,
                "global": [
                    {
                        "area": a.code,
                        "active": int(cov.global_active[j]),
                        "planned": int(cov.global_planned[j]),
                        "funding_usd": round(float(cov.global_funding[j]), 2),
                    }
                    for j, a in enumerate(cov.areas)
                ],
                "unconverted_budget_shares": cov.unconverted,
                "reliance": cov.reliance,
            }
        )


class GapsAPIView(APIView):
    """Needs without an active or planned initiative in their country and area, ranked."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        gaps = find_gaps(request.user, Filters.from_query(request.query_params))
        page = _page(request, gaps.need_ids)
        return Response(
            {
                "count": len(gaps),
                "page": page.number,
                "pages": page.paginator.num_pages,
                # How much the figures rest on stale or incomplete records: the initiatives the coverage
                # counts, and the gap needs not updated in 12 months.
                "reliance": gaps.reliance,
                "stale_needs": gaps.stale_needs,
                "results": [
                    {
                        "id": n.pk,
                        "title": _title(n),
                        "country": n.country.iso2,
                        "uncovered_areas": [a.code for a in n.uncovered_areas],
                        "priority": n.priority,
                        "age_days": n.age_days,
                        "url": _url(request, n),
                    }
                    for n in gap_needs(gaps, list(page.object_list))
                ],
                "countries": [
                    {"iso2": c.iso2, "need_areas": total, "uncovered": open_, "share": round(share, 3)}
                    for c, total, open_, share in gaps.countries
                ],
                "areas": [
                    {"code": a.code, "need_areas": total, "uncovered": open_, "share": round(share, 3)}
                    for a, total, open_, share in gaps.areas
                ],
            }
        )


class PairsAPIView(APIView):
    """Possible overlaps (or likely duplicates) with scores, explanation and review decision."""

    permission_classes = [AllowAny]
    kind = "overlap"

    @extend_schema(
        parameters=FILTER_PARAMETERS
        + [
            OpenApiParameter(
                "review", str, description="pending (default), all, not_overlap, complementary, duplicate"
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        review = request.query_params.get("review") or "pending"
        review = review if review in selectors.REVIEW_FILTERS else "pending"
        pairs = selectors.visible_pairs(
            request.user, self.kind, Filters.from_query(request.query_params), review
        )
        page = _page(request, pairs)
        items = explain_all(page.object_list)
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                # How many of these pairs involve a stale or an incomplete initiative.
                "reliance": selectors.pair_reliance(pairs),
                "results": [
                    {
                        "initiatives": [
                            {"id": i.pk, "title": _title(i), "url": _url(request, i)}
                            for i in (p.initiative_a, p.initiative_b)
                        ],
                        "score": p.score,
                        "strong_signal": similarity.is_overlap_value(p.score, p.text_similarity),
                        "duplicate_score": p.duplicate_score,
                        "components": {
                            "text": p.text_similarity,
                            "title": p.title_similarity,
                            "organizations": p.organization_similarity,
                            "countries": p.country_similarity,
                            "areas": p.area_similarity,
                            "period_overlap": p.period_overlap,
                            "overlap_days": p.overlap_days,
                            "same_identifier": p.same_identifier,
                            "budget_ratio": p.budget_ratio,
                        },
                        "explanation": p.reasons,
                        "decision": p.decision,
                        "review_comment": p.review_comment or "",
                    }
                    for p in items
                ],
            }
        )


def _match(request, m):
    obj = m.obj
    title = obj.display_title()
    return {
        "id": obj.pk,
        "title": title,
        "url": _url(request, obj),
        "score": round(m.score, 2),
        "kind": m.kind,
        "reasons": m.reasons,
    }


class MatchesAPIView(APIView):
    """Matchmaking: ``?need=<id>`` (organizations, opportunities, experts), ``?organization=<id>``
    (partners) or ``?country=<ISO>`` (organizations working there)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("need", int),
            OpenApiParameter("organization", int),
            OpenApiParameter("country", str),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        user = request.user
        params = request.query_params
        if params.get("need", "").isdigit():
            need = get_object_or_404(permissions.restrict(Need.objects.all(), user), pk=params["need"])
            found = matching.matches_for_need(user, need)
            return Response(
                {"need": need.pk, **{k: [_match(request, m) for m in v] for k, v in found.items()}}
            )
        if params.get("organization", "").isdigit():
            org = get_object_or_404(
                permissions.restrict(Organization.objects.all(), user), pk=params["organization"]
            )
            return Response(
                {
                    "organization": org.pk,
                    "partners": [_match(request, m) for m in matching.partners_for(user, org)],
                }
            )
        if params.get("country"):
            country = get_object_or_404(Country, iso2=params["country"].upper())
            return Response(
                {
                    "country": country.iso2,
                    "organizations": [
                        _match(request, m) for m in matching.organizations_in_country(user, country)
                    ],
                }
            )
        return Response({"detail": "Give need, organization or country."}, status=400)


class CheckAPIView(APIView):
    """Existing initiatives a new one may duplicate or overlap (before it is saved). GET with ``title``,
    ``country`` (ISO), ``area`` (code), ``start``, ``end``, ``identifier``, ``organization``; or POST the
    initiative form's fields."""

    permission_classes = [AllowAny]

    def _answer(self, request, data):
        results = selectors.check_initiative(request.user, selectors.draft_from(data))
        return Response(
            {
                "results": [
                    {"id": i.pk, "title": _title(i), "url": _url(request, i), **scores}
                    for i, scores in results
                ]
            }
        )

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return self._answer(request, request.query_params)

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT})
    def post(self, request):
        data = request.data
        if not hasattr(data, "getlist"):
            from django.http import QueryDict

            query = QueryDict(mutable=True)
            for key, value in dict(data).items():
                for v in value if isinstance(value, list) else [value]:
                    query.appendlist(key, str(v))
            data = query
        return self._answer(request, data)
