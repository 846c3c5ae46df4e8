"""The demonstration data set (``manage.py load_demo``): a living platform on first run.

Every record it writes is marked ``is_demo=True``; people's names, e-mail addresses (``@example.org``),
national projects and the regional networks, universities and NGOs are fictitious. Only the names of
well-known international organizations and agencies (UNEP, GEF, FAO, UNDP, the World Bank, ICGEB, the CBD
Secretariat, bilateral agencies) are real, with the IATI organisation identifiers known for sure (UNEP
XM-DAC-41116, FAO XM-DAC-41301, UNDP XM-DAC-41114). Identifiers given to demo initiatives contain ``DEMO``.

The texts are data (``data/*.json``); ``builder.py`` turns them into records through the services
(``record_save`` and ``record_transition``), so every record has its versions and its search entry.

Reproducible: the same ``seed`` and the same reference date (``today``, by default the current date) give
the same records. The periods of initiatives are fixed dates (2005–2028); what follows ``today`` is what
makes the demo look alive: the activity status of initiatives (pipeline, implementation, finalisation,
closed), application deadlines in the coming months, experts about to leave the roster, the age of records.

Idempotent: the records are written in one transaction, and only when no demo record exists yet (any record
type with ``is_demo=True`` — the marker). A second run writes no record; it only makes sure the demo accounts
and their roles exist (an existing account keeps its password). To start again, use a fresh database.

Contents: 52 organizations, 24 contacts, 88 initiatives (national, sub-regional, regional, global; 60+
recipient countries), about 90 needs in 31 countries, 23 opportunities, 32 resources (several with a small
PDF per language), 28 experts, 10 country profiles. About a third of the records carry Spanish and/or French
translations; some are written in Spanish or French only. Planted for the coordination pages:

- overlaps: national initiatives in the same country and area, overlapping in time, with similar objectives
  and different donors — risk assessment in Kenya (USAID vs Norad), LMO detection in Colombia (GEF vs EU),
  public awareness in Viet Nam (JICA vs GEF/UNDP), the competent authority of Senegal (AFD vs GEF/UNEP);
- a duplicate: one West African project registered twice, from a GEF list (project number ``GEF-3035``) and
  from a World Bank list (``P098962``), worded differently, with one more country and another budget;
- gaps: needs in country × area combinations that no active or planned initiative covers.

Demo accounts (username / password — role):

- ``admin`` / ``admin`` — administrator (Secretariat), superuser and staff
- ``demo-focal-ke`` / ``demo`` — national focal point, Kenya
- ``demo-user-ke`` / ``demo`` — national authorized user, Kenya
- ``demo-focal-co`` / ``demo`` — national focal point, Colombia
- ``demo-user-co`` / ``demo`` — national authorized user, Colombia
- ``demo-focal-sn`` / ``demo`` — national focal point, Senegal
- ``demo-user-sn`` / ``demo`` — national authorized user, Senegal
- ``demo-focal-vn`` / ``demo`` — national focal point, Viet Nam
- ``demo-user-vn`` / ``demo`` — national authorized user, Viet Nam
- ``demo-publisher-unep`` / ``demo`` — organization publisher, UNEP
- ``demo-publisher-fao`` / ``demo`` — organization publisher, FAO
- ``demo-moderator`` / ``demo`` — conference moderator
- ``demo-participant`` / ``demo`` — registered user without a role

Work waits for them: the focal points of Kenya, Colombia and Viet Nam have needs, expert nominations or a
country profile submitted by their authorized users; Kenya has a need returned with a comment; Senegal and
Colombia have drafts; the Secretariat has an initiative and an opportunity submitted by ``demo-participant``;
the UNEP and FAO publishers have drafts of their own.
"""

from .accounts import ACCOUNTS
from .builder import count_demo, demo_exists, load_demo
from .common import DEFAULT_SEED, DUPLICATE_PAIR, DemoError

__all__ = [
    "ACCOUNTS",
    "DEFAULT_SEED",
    "DUPLICATE_PAIR",
    "DemoError",
    "count_demo",
    "demo_exists",
    "load_demo",
]
