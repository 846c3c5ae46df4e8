from capacityhub.core.registry import registry
from capacityhub.core.routing import record_urls

app_name = "reference"
urlpatterns = record_urls(registry["organization"]) + record_urls(registry["contact"])
