"""Downloads of list pages: ``<path>/export.csv|xlsx|json``, filtered by the list's own query string."""

from django.http import HttpResponseBadRequest
from django.views import View

from . import exports


class RecordExportView(View):
    """The records of a list as its user sees them, filtered and sorted as the page, in one file."""

    record_type = None

    def get(self, request, format):
        try:
            return exports.response(self.record_type, request, format=format)
        except exports.ExportError as error:
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
