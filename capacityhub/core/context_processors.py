from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.translation import gettext_lazy as _

# The main navigation: short labels, in the order people look for things. ``key`` is a record type key or a
# page's ``nav_section``; an entry whose page does not exist is left out.
NAV = (
    ("initiative", "registry:initiative_list", _("Initiatives")),
    ("need", "registry:need_list", _("Needs")),
    ("opportunity", "registry:opportunity_list", _("Opportunities")),
    ("resource", "registry:resource_list", _("Resources")),
    ("expert", "registry:expert_list", _("Experts")),
    ("organization", "reference:organization_list", _("Organizations")),
    ("countries", "registry:country_list", _("Countries")),
    ("coordination", "coordination:coverage", _("Coverage and gaps")),
    ("plans", "plans:plan_list", _("Action plans")),
    ("conferences", "conferences:conference_list", _("Online conferences")),
    ("meeting", "meetings:meeting_list", _("Meetings")),
    ("decision", "meetings:decision_list", _("Decisions")),
)


def _navigation():
    items = []
    for key, url_name, label in NAV:
        try:
            items.append({"key": key, "url": reverse(url_name), "label": label})
        except NoReverseMatch:
            continue
    return items


def site(request):
    """Language switcher links that keep the current page, the navigation and the print mode."""
    path = request.get_full_path()
    switcher = [
        {"code": code, "name": name, "url": translate_url(path, code)} for code, name in settings.LANGUAGES
    ]
    return {
        "language_switcher": switcher,
        "navigation": _navigation(),
        "print_mode": request.GET.get("print") == "1",
    }
