"""Country pages and file downloads. The record lists, details and forms are the generic views."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from capacityhub.core import permissions
from capacityhub.core.choices import Status
from capacityhub.core.multilingual import current_language
from capacityhub.core.registry import registry
from capacityhub.reference.choices import RegionKind
from capacityhub.reference.models import Country, Region

from .models import CountryProfile, Expert, Initiative, Need, Resource


class CountryListView(TemplateView):
    """Every country with its counts of published records; search by name in any language, by region."""

    template_name = "registry/country_list.html"
    extra_context = {"nav_section": "countries"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        countries = Country.objects.all()
        region = request.GET.get("region")
        if region:
            countries = countries.filter(regions__code=region)
        query = (request.GET.get("q") or "").strip().casefold()
        countries = list(
            countries.annotate(
                need_count=Count("needs", filter=Q(needs__status=Status.PUBLISHED), distinct=True),
                initiative_count=Count(
                    "initiatives", filter=Q(initiatives__status=Status.PUBLISHED), distinct=True
                ),
                expert_count=Count(
                    "nominated_experts", filter=Q(nominated_experts__status=Status.PUBLISHED), distinct=True
                ),
            )
        )
        if query:
            from django.conf import settings

            countries = [
                c
                for c in countries
                if query in c.iso2.casefold()
                or any(query in c.localized_name(code).casefold() for code, _n in settings.LANGUAGES)
            ]
        countries.sort(key=lambda c: c.name)
        region_facets = (
            Region.objects.filter(
                kind__in=[RegionKind.CBD_GROUP, RegionKind.UN_REGION, RegionKind.SPECIAL_GROUP]
            )
            .annotate(n=Count("countries"))
            .order_by("kind", "position")
        )
        page = Paginator(countries, 60).get_page(request.GET.get("page"))
        context.update(
            page=page,
            countries=page.object_list,
            regions=region_facets,
            region=region,
            query=request.GET.get("q", ""),
            total=len(countries),
        )
        return context


class CountryView(TemplateView):
    """A country's page: its profile, focal points, needs, initiatives received and provided, experts."""

    template_name = "registry/country_detail.html"
    extra_context = {"nav_section": "countries"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        country = get_object_or_404(Country, iso2=kwargs["iso2"].upper())

        def visible(model):
            return permissions.restrict(model.objects.all(), user)

        profile = visible(CountryProfile).filter(country=country).first()
        needs = (
            visible(Need).filter(country=country).prefetch_related("thematic_areas").order_by("-updated_at")
        )
        received = (
            visible(Initiative)
            .filter(pk__in=Initiative.objects.filter(countries=country).values("pk"))
            .select_related("activity_status")
            .order_by("-planned_start")
        )
        provided = (
            visible(Initiative)
            .filter(
                pk__in=Initiative.objects.filter(participations__organization__country=country).values("pk")
            )
            .exclude(pk__in=received.values("pk"))
            .select_related("activity_status")
            .order_by("-planned_start")
        )
        experts = visible(Expert).filter(country=country).order_by("sort_title")
        focal_points = country.role_assignments.filter(role="focal_point").select_related("user")
        areas = (
            needs.filter(status=Status.PUBLISHED)
            .values("thematic_areas__code", "thematic_areas__label")
            .annotate(n=Count("pk"))
            .order_by("-n")
        )
        context.update(
            country=country,
            profile=profile,
            profile_type=registry["countryprofile"],
            needs=needs[:50],
            need_count=needs.count(),
            received=received[:50],
            received_count=received.count(),
            provided=provided[:20],
            provided_count=provided.count(),
            experts=experts[:50],
            expert_count=experts.count(),
            focal_points=focal_points,
            regions=country.regions.all(),
            need_areas=[
                (row["thematic_areas__label"], row["n"], row["thematic_areas__code"])
                for row in areas
                if row["thematic_areas__code"]
            ],
            can_change_profile=profile is not None and permissions.can(user, permissions.CHANGE, profile),
            can_add_profile=profile is None
            and permissions.can(user, permissions.ADD, model=CountryProfile)
            and (user.is_secretariat or country.pk in permissions.member_scope_ids(user, CountryProfile)),
            language=current_language(),
        )
        return context


def _serve(field_file, content_type, download_name):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, as_attachment=True, filename=download_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def resource_file(request, pk, language):
    """A resource's file in one language, to those who may see the resource; always as a download."""
    resource = get_object_or_404(permissions.restrict(Resource.objects.all(), request.user), pk=pk)
    item = get_object_or_404(resource.files, language=language)
    return _serve(item.file, item.content_type or "application/octet-stream", item.filename)


def expert_cv(request, pk):
    """An expert's CV, to signed-in users who may see the expert."""
    if not request.user.is_authenticated:
        raise Http404
    expert = get_object_or_404(permissions.restrict(Expert.objects.all(), request.user), pk=pk)
    return _serve(
        expert.cv, "application/octet-stream", expert.cv.name.rsplit("/", 1)[-1] if expert.cv else ""
    )
