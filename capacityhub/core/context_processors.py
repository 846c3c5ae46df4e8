from django.conf import settings
from django.urls import translate_url

from .registry import registry


def site(request):
    """Language switcher links that keep the current page, the navigation and the print mode."""
    path = request.get_full_path()
    switcher = [
        {"code": code, "name": name, "url": translate_url(path, code)} for code, name in settings.LANGUAGES
    ]
    return {
        "language_switcher": switcher,
        "nav_record_types": [registry[key] for key in NAV if key in registry],
        "print_mode": request.GET.get("print") == "1",
    }


NAV = ("initiative", "need", "opportunity", "resource", "expert", "organization")
