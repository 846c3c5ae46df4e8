"""Request hygiene shared by every page and the API."""

from django.http import QueryDict


class StripNulMiddleware:
    """Drop NUL characters from the query string's parameters.

    No parameter of the platform (search text, filter codes, page numbers) can mean anything with a NUL in
    it, and PostgreSQL refuses NUL in text, so ``?country=K%00E`` would otherwise fail deep inside a query.
    Form fields already refuse NUL with a validation error (Django's ProhibitNullCharactersValidator)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", ""):
            clean = QueryDict(mutable=True)
            for key, values in request.GET.lists():
                clean.setlist(key.replace("\x00", ""), [value.replace("\x00", "") for value in values])
            clean._mutable = False
            request.GET = clean
        return self.get_response(request)
