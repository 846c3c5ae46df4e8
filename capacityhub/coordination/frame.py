"""The initiatives as columns (numpy arrays), loaded in a few queries: what every analysis works on.

A ``Frame`` holds one row per initiative and, for the to-many relations, ``(row, value)`` pairs
(recipient countries and regions with their percentages, thematic areas, organizations with roles). Loading
uses ``values_list`` in chunks; nothing loops over records in Python beyond building these arrays."""

import datetime
from dataclasses import dataclass, field

import numpy as np

from capacityhub.core.choices import Status
from capacityhub.reference.models import Region, Term
from capacityhub.registry.models import Initiative, InitiativeCountry, InitiativeRegion, Participation

from .choices import FUNDING_ROLES, STATE_OF_STATUS, State
from .keys import field_keys, normalize_identifier  # noqa: F401 (normalize_identifier: used by others)

EPOCH = datetime.date(1970, 1, 1)
NO_DAY = np.iinfo(np.int32).min
STATE_CODES = [State.ACTIVE, State.PLANNED, State.CLOSED, State.STOPPED]
CHUNK = 20000


def day(value):
    return (value - EPOCH).days if value else NO_DAY


@dataclass
class Frame:
    ids: np.ndarray  # initiative ids, sorted
    status: np.ndarray  # workflow status (object array of str)
    state: np.ndarray  # index into STATE_CODES
    scope: np.ndarray  # geographic scope (object array)
    budget: np.ndarray  # float, NaN when unknown
    currency: np.ndarray  # object array
    start: np.ndarray  # days since 1970 (int32), NO_DAY when unknown
    end: np.ndarray
    publisher: np.ndarray
    texts: list  # per row: list of (field, {lang: text})
    identifiers: list  # per row: identifier keys (``keys.py``); text keys are added when vectorized
    countries: np.ndarray  # (row, country_id, pct or NaN)
    regions: np.ndarray  # (row, region_id, pct or NaN)
    areas: np.ndarray  # (row, area_id)
    organizations: np.ndarray  # (row, organization_id, is_funder)
    extra: dict = field(default_factory=dict)
    text_query: object = None  # texts read in chunks when not loaded (the full analysis: less memory)

    def text_chunks(self, size=CHUNK):
        """The texts of the rows, in row order, ``size`` rows at a time."""
        if self.text_query is None:
            texts = self.texts or [[] for _ in range(len(self.ids))]
            for start in range(0, len(texts), size):
                yield texts[start : start + size]
            return
        chunk, names = [], TEXT_COLUMNS
        position = 0
        for pk, *values in self.text_query.iterator(chunk_size=size):
            row = int(np.searchsorted(self.ids, pk))
            while position < row:  # a row without text (created or removed meanwhile)
                chunk.append([])
                position += 1
            if row < len(self.ids) and self.ids[row] == pk:
                chunk.append(list(zip(names, values, strict=True)))
                position += 1
            if len(chunk) >= size:
                yield chunk
                chunk = []
        chunk += [[] for _ in range(len(self.ids) - position)]
        if chunk:
            yield chunk

    def __len__(self):
        return len(self.ids)

    def rows_of(self, initiative_ids):
        return np.searchsorted(self.ids, np.asarray(initiative_ids))


TEXT_COLUMNS = ["title", "description", "objectives", "links"]


def analysed_initiatives():
    """Initiatives the analysis looks at: every one not archived (drafts too: reviewers see their pairs;
    pages only show what the reader may see)."""
    return Initiative.objects.exclude(status=Status.ARCHIVED)


def _chunks(values, size=CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def load_frame(initiative_ids=None, *, with_text=True, queryset=None):
    """Load the frame of the given initiatives (default: every analysed initiative). ``with_text="lazy"``
    leaves the texts in the database, read in chunks when vectorized."""
    base = queryset if queryset is not None else analysed_initiatives()
    if initiative_ids is not None:
        base = base.filter(pk__in=list(initiative_ids))
    status_codes = dict(Term.objects.filter(vocabulary__code="activity-status").values_list("pk", "code"))
    columns = [
        "pk",
        "status",
        "activity_status_id",
        "geographic_scope",
        "budget",
        "currency",
        "actual_start",
        "planned_start",
        "actual_end",
        "planned_end",
        "publisher_id",
        "project_number",
        "iati_identifier",
    ]
    text_columns = TEXT_COLUMNS if with_text is True else []
    rows = list(base.order_by("pk").values_list(*columns, *text_columns).iterator(chunk_size=CHUNK))
    n = len(rows)
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
    state_index = {code: i for i, code in enumerate(STATE_CODES)}
    frame = Frame(
        ids=ids,
        status=np.array([r[1] for r in rows], dtype=object),
        state=np.fromiter(
            (state_index[STATE_OF_STATUS.get(status_codes.get(r[2]), State.STOPPED)] for r in rows),
            dtype=np.int8,
            count=n,
        ),
        scope=np.array([r[3] for r in rows], dtype=object),
        budget=np.fromiter((float(r[4]) if r[4] is not None else np.nan for r in rows), dtype=float, count=n),
        currency=np.array([(r[5] or "").upper() for r in rows], dtype=object),
        start=np.fromiter((day(r[6] or r[7]) for r in rows), dtype=np.int32, count=n),
        end=np.fromiter((day(r[8] or r[9]) for r in rows), dtype=np.int32, count=n),
        publisher=np.fromiter((r[10] for r in rows), dtype=np.int64, count=n),
        texts=[list(zip(text_columns, r[13:], strict=True)) for r in rows] if with_text is True else [],
        identifiers=[sorted(field_keys(r[11], r[12])) for r in rows],
        countries=np.zeros((0, 3)),
        regions=np.zeros((0, 3)),
        areas=np.zeros((0, 2), dtype=np.int64),
        organizations=np.zeros((0, 3), dtype=np.int64),
    )
    del rows
    if with_text == "lazy":
        frame.text_query = base.order_by("pk").values_list("pk", *TEXT_COLUMNS)
    frame.countries = _pairs(frame, InitiativeCountry, "country_id", "percentage", initiative_ids)
    frame.regions = _pairs(frame, InitiativeRegion, "region_id", "percentage", initiative_ids)
    frame.areas = _m2m_areas(frame, initiative_ids)
    frame.organizations = _organizations(frame, initiative_ids)
    return frame


def _related(model, initiative_ids, frame):
    qs = model.objects.all()
    if initiative_ids is not None:
        return qs.filter(initiative_id__in=frame.ids.tolist())
    return qs.filter(initiative__in=analysed_initiatives())


def _pairs(frame, model, column, pct_column, initiative_ids):
    values = list(
        _related(model, initiative_ids, frame)
        .values_list("initiative_id", column, pct_column)
        .iterator(CHUNK)
    )
    if not values:
        return np.zeros((0, 3))
    array = np.array([(a, b, float(p) if p is not None else np.nan) for a, b, p in values], dtype=float)
    array[:, 0] = frame.rows_of(array[:, 0].astype(np.int64))
    return array


def _m2m_areas(frame, initiative_ids):
    through = Initiative.thematic_areas.through
    qs = through.objects.all()
    if initiative_ids is not None:
        qs = qs.filter(initiative_id__in=frame.ids.tolist())
    else:
        qs = qs.filter(initiative__in=analysed_initiatives())
    values = np.array(list(qs.values_list("initiative_id", "term_id").iterator(CHUNK)), dtype=np.int64)
    if not len(values):
        return np.zeros((0, 2), dtype=np.int64)
    values[:, 0] = frame.rows_of(values[:, 0])
    return values


def _organizations(frame, initiative_ids):
    funder_roles = set(
        Term.objects.filter(vocabulary__code="organization-roles", code__in=FUNDING_ROLES).values_list(
            "pk", flat=True
        )
    )
    rows = list(
        _related(Participation, initiative_ids, frame)
        .values_list("initiative_id", "organization_id", "role_id")
        .iterator(CHUNK)
    )
    if not rows:
        return np.zeros((0, 3), dtype=np.int64)
    array = np.array([(a, o, 1 if r in funder_roles else 0) for a, o, r in rows], dtype=np.int64)
    array[:, 0] = frame.rows_of(array[:, 0])
    return array


def region_members():
    """``{region_id: np.array of country ids}`` for every region."""
    through = Region.countries.through
    members = {}
    for region_id, country_id in through.objects.values_list("region_id", "country_id"):
        members.setdefault(region_id, []).append(country_id)
    return {k: np.array(sorted(v), dtype=np.int64) for k, v in members.items()}


def visible_or_published(user):
    """The initiatives a figure may count for ``user``: published ones, or, for users who may see
    unpublished ones, those too (never archived ones)."""
    from capacityhub.core import permissions

    return permissions.restrict(Initiative.objects.all(), user).exclude(status=Status.ARCHIVED)


def sees_unpublished(user):
    """Does ``user`` see any initiative or need that is not published (their drafts, their scope's, the
    Secretariat's view)? If not, the public figures (cached) are theirs too."""
    from capacityhub.core import permissions
    from capacityhub.registry.models import Need

    if not user or not user.is_authenticated:
        return False
    for model in (Initiative, Need):
        unpublished = model.objects.filter(status__in=[Status.DRAFT, Status.SUBMITTED])
        if permissions.restrict(unpublished, user).exists():
            return True
    return False
