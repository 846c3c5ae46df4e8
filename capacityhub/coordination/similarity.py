"""Overlaps and duplicates: candidate pairs by blocking, then scores, all vectorized (numpy, scipy sparse).

Text: every language of the title (twice), description and objectives go into one bag of words, hashed
(``HashingVectorizer``: no vocabulary to keep, no model to download), weighted by TF-IDF (sub-linear term
frequency; the inverse document frequencies of the last full run are stored, so that an initiative saved
later is scored with the same weights) and L2-normalized: text similarity is a cosine. Titles are also
compared as character trigrams, which survives rewording and abbreviations.

Blocking: two initiatives are compared only if they share a recipient (a country, a region, or both are
global), a thematic area and one of their most distinctive words (the ``TOP_WORDS`` heaviest of each
text), or an identifier. A block larger than ``BLOCK_CAP`` is walked as a sorted neighbourhood (by start
date, ``WINDOW`` neighbours), so the number of comparisons grows linearly with the number of initiatives.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, HashingVectorizer
from sklearn.preprocessing import normalize

from .frame import NO_DAY, Frame
from .glossary import concept_tokens
from .keys import text_keys

N_FEATURES = 2**20
TITLE_FEATURES = 2**18
TOP_WORDS = 5
BLOCK_CAP = 30
WINDOW = 10
DEFAULT_YEARS = 3  # an initiative with only a start (or an end) date is taken to last this long
MAX_GAP_DAYS = 180  # pairs whose periods are further apart than this are not compared
PAIR_CHUNK = 400_000

# Scores: weights and thresholds (tuned on the synthetic data set, see bench/coordination.py).
OVERLAP_WEIGHTS = {"text": 0.55, "organizations": 0.1, "period": 0.15, "areas": 0.1, "countries": 0.1}
# Overlaps come in two strengths: strong signals (the default listing; precision measured by the benchmark)
# and weaker ones, kept and shown on request (real texts describing the same work in other words).
OVERLAP_THRESHOLD = 0.57
TEXT_GATE = 0.4  # "similar objectives" is part of what an overlap is
WEAK_OVERLAP_THRESHOLD = 0.45
WEAK_TEXT_GATE = 0.3
DUPLICATE_WEIGHTS = {
    "title": 0.1,
    "text": 0.35,
    "organizations": 0.15,
    "countries": 0.1,
    "dates": 0.2,
    "budget": 0.1,
}
DUPLICATE_THRESHOLD = 0.65
DUPLICATE_TEXT_GATE = 0.4
IDENTIFIER_SCORE = 0.9

SPANISH_STOP_WORDS = (
    "a al algo ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en "
    "entre era es esa ese eso esta este esto estos estas fue ha hacia han hasta la las le les lo los mas "
    "muy ni no nos o otra otro para pero por que se segun ser si sin sobre su sus tambien tiene todo "
    "todos un una uno unos unas y ya asi cada"
).split()
FRENCH_STOP_WORDS = (
    "a au aux avec ce ces dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me "
    "meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton "
    "tu un une vos votre vous ete etre est sont ainsi afin entre cette cet leurs selon tout tous"
).split()
STOP_WORDS = sorted(set(ENGLISH_STOP_WORDS) | set(SPANISH_STOP_WORDS) | set(FRENCH_STOP_WORDS))

STOP_SET = frozenset(STOP_WORDS)


_STRUCTURE = {}
AREA_WORD_WEIGHT = 0.6


def structure_words():
    """``(places, area words)``: the words naming countries and regions, left out of the text (recipients
    are compared on their own), and the words of the thematic areas' labels, weighed down (areas are
    compared on their own too), in every interface language. So text similarity measures what the work is
    about rather than where and under which heading it is filed."""
    if "places" not in _STRUCTURE:
        from capacityhub.reference.models import Country, Region, Term

        places, areas = set(), set()
        for country in Country.objects.all():
            for text in [country.localized_name(language) for language in ("en", "es", "fr")] + [
                country.name_en
            ]:
                places.update(concept_tokens(text, STOP_SET))
        for region in Region.objects.all():
            for text in (region.name or {}).values():
                places.update(concept_tokens(text or "", STOP_SET))
        for area in Term.objects.filter(vocabulary__code="thematic-areas"):
            for text in (area.label or {}).values():
                areas.update(concept_tokens(text or "", STOP_SET))
        # A place name that is also an area word (e.g. "regional") stays a word.
        _STRUCTURE["places"] = frozenset(places - areas)
        _STRUCTURE["areas"] = frozenset(areas)
    return _STRUCTURE["places"], _STRUCTURE["areas"]


def analyze_words(text):
    places, _areas = structure_words()
    return [token for token in concept_tokens(text, STOP_SET) if token not in places]


def area_features():
    """Feature indices of the thematic areas' words (hashed like any word)."""
    _places, areas = structure_words()
    return np.unique(WORDS.transform([" ".join(sorted(areas))]).indices)


WORDS = HashingVectorizer(
    n_features=N_FEATURES, alternate_sign=False, norm=None, analyzer=analyze_words, dtype=np.float32
)
TRIGRAMS = HashingVectorizer(
    n_features=TITLE_FEATURES,
    alternate_sign=False,
    norm="l2",
    lowercase=True,
    strip_accents="unicode",
    analyzer="char_wb",
    ngram_range=(3, 3),
    dtype=np.float32,
)


def documents(rows, keys=None):
    """One text per initiative (all languages) and one title text per initiative. ``keys``, if given, gets
    the identifier keys found in each row's texts and document addresses (``keys.text_keys``)."""
    texts, titles = [], []
    for fields in rows:
        parts, title, links = [], [], ()
        for name, value in fields:
            if name == "links":
                links = value or ()
                continue
            values = [v for v in (value or {}).values() if v] if isinstance(value, dict) else [value or ""]
            if name == "title":
                title += values
                parts += values * 2
            else:
                parts += values
        texts.append(" ".join(parts))
        titles.append(" | ".join(title))
        if keys is not None:
            keys.append(text_keys(parts, links))
    return texts, titles


def fit_idf(counts):
    """Inverse document frequencies (smoothed) from a count matrix; the thematic areas' words weigh less."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    idf = (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    idf[area_features()] *= AREA_WORD_WEIGHT
    return idf


def weigh(counts, idf):
    """Sub-linear TF × IDF, L2-normalized rows."""
    counts = counts.tocsr(copy=True)
    counts.data = 1.0 + np.log(counts.data)
    if idf is not None:
        counts.data *= idf[counts.indices]
    return normalize(counts, copy=False)


@dataclass
class Vectors:
    text: sp.csr_matrix
    title: sp.csr_matrix
    units: sp.csr_matrix  # recipients as listed
    covered: sp.csr_matrix  # places covered: recipients and the member countries of recipient regions
    areas: sp.csr_matrix
    organizations: sp.csr_matrix
    implementers: sp.csr_matrix  # the same columns: organizations in a role other than funding
    identifiers: sp.csr_matrix
    usd_budget: np.ndarray
    start: np.ndarray
    end: np.ndarray
    known: np.ndarray


def binary_matrix(rows, values, n, weights=None):
    """A 0/1 sparse matrix (n × k) from (row, value) pairs; values are factorized. With ``weights``, only
    the pairs of weight 1 are set (the others only reserve their value's column, so that two matrices built
    from the same values share their columns)."""
    rows = np.asarray(rows, dtype=np.int64)
    if not len(rows):
        return sp.csr_matrix((n, 1), dtype=np.float32)
    codes, columns = np.unique(np.asarray(values), return_inverse=True)
    data = np.ones(len(rows), dtype=np.float32) if weights is None else np.asarray(weights, np.float32)
    matrix = sp.csr_matrix((data, (rows, columns.ravel())), shape=(n, len(codes)))
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    matrix.data[:] = 1
    return matrix


def unit_pairs(frame: Frame):
    """(row, unit) for recipients: country id, 10^7 + region id, or -1 for global initiatives."""
    is_global = np.flatnonzero(frame.scope == "global")
    rows = np.concatenate([frame.countries[:, 0], frame.regions[:, 0], is_global]).astype(np.int64)
    units = np.concatenate(
        [frame.countries[:, 1], frame.regions[:, 1] + 10**7, np.full(len(is_global), -1)]
    ).astype(np.int64)
    return rows, units


def coverage_pairs(frame: Frame):
    """(row, unit) for the places an initiative covers: its recipients, and each member country of its
    recipient regions (a regional initiative counts for the countries it covers, so that it is compared with
    the national initiatives there). A global initiative stays one unit (-1): comparing it with every
    national initiative would compare everything with it."""
    rows, units = unit_pairs(frame)
    members = frame.extra.get("members")
    if members is None:
        from .frame import region_members

        members = frame.extra["members"] = region_members()
    regions = frame.regions
    if not len(regions):
        return rows, units
    region_ids = regions[:, 1].astype(np.int64)
    sizes = np.array([len(members.get(int(r), ())) for r in region_ids], dtype=np.int64)
    if not sizes.sum():
        return rows, units
    extra_rows = np.repeat(regions[:, 0].astype(np.int64), sizes)
    extra_units = np.concatenate([members.get(int(r), np.zeros(0, np.int64)) for r in region_ids])
    return unique_pairs_of(np.concatenate([rows, extra_rows]), np.concatenate([units, extra_units]))


def unique_pairs_of(rows, units):
    """Distinct (row, unit) pairs (a country listed and also covered by a listed region counts once)."""
    shift = units - units.min() if len(units) else units
    code = rows * (int(shift.max()) + 1 if len(shift) else 1) + shift
    _code, first = np.unique(code, return_index=True)
    return rows[first], units[first]


def periods(frame: Frame):
    start, end = frame.start.astype(np.int64), frame.end.astype(np.int64)
    known = (start != NO_DAY) | (end != NO_DAY)
    span = 365 * DEFAULT_YEARS
    start = np.where(start == NO_DAY, end - span, start)
    end = np.where(end == NO_DAY, start + span, end)
    end = np.maximum(end, start)
    return start, end, known


def vectorize(frame: Frame, idf=None, rates=None, *, fit=False):
    """All the matrices a comparison needs. ``fit`` computes the IDF from this frame."""
    word_parts, title_parts, offset = [], [], 0
    for chunk in frame.text_chunks():
        found = []
        texts, titles = documents(chunk, found)
        word_parts.append(WORDS.transform(texts))
        title_parts.append(TRIGRAMS.transform(titles))
        # Identifier keys: the structured ones (loaded with the frame) and those in texts and links.
        for row, extra in enumerate(found, start=offset):
            if extra and row < len(frame.identifiers):
                frame.identifiers[row] = sorted(set(frame.identifiers[row]) | extra)
        offset += len(chunk)
    counts = (
        sp.vstack(word_parts, format="csr")
        if word_parts
        else sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
    )
    title = (
        sp.vstack(title_parts, format="csr")
        if title_parts
        else sp.csr_matrix((0, TITLE_FEATURES), dtype=np.float32)
    )
    del word_parts, title_parts
    if fit:
        idf = fit_idf(counts)
    text = weigh(counts, idf)
    del counts
    n = len(frame)
    rows, units = unit_pairs(frame)
    identifier_rows = [r for r, values in enumerate(frame.identifiers) for _v in values]
    identifier_values = [v for values in frame.identifiers for v in values]
    rates = rates or {}
    factor = np.array([rates.get(c, np.nan) for c in frame.currency.tolist()], dtype=float)
    start, end, known = periods(frame)
    vectors = Vectors(
        text=text,
        title=title,
        units=binary_matrix(rows, units, n),
        covered=binary_matrix(*coverage_pairs(frame), n),
        areas=binary_matrix(frame.areas[:, 0], frame.areas[:, 1], n),
        organizations=binary_matrix(frame.organizations[:, 0], frame.organizations[:, 1], n),
        implementers=binary_matrix(
            np.concatenate(
                [frame.organizations[:, 0], frame.organizations[frame.organizations[:, 2] == 0, 0]]
            ),
            np.concatenate(
                [frame.organizations[:, 1], frame.organizations[frame.organizations[:, 2] == 0, 1]]
            ),
            n,
            weights=np.concatenate(
                [np.zeros(len(frame.organizations)), np.ones(int((frame.organizations[:, 2] == 0).sum()))]
            ),
        ),
        identifiers=binary_matrix(identifier_rows, identifier_values, n),
        usd_budget=frame.budget * factor,
        start=start,
        end=end,
        known=known,
    )
    return vectors, idf


def top_words(text, k=TOP_WORDS):
    """(row, feature) of the ``k`` heaviest words of each row."""
    text = text.tocsr()
    rows = np.repeat(np.arange(text.shape[0]), np.diff(text.indptr))
    order = np.lexsort((-text.data, rows))
    rows, features = rows[order], text.indices[order]
    rank = np.arange(len(rows)) - np.repeat(text.indptr[:-1], np.diff(text.indptr))
    keep = rank < k
    return rows[keep], features[keep].astype(np.int64)


def join(rows_a, values_a, rows_b, values_b, n):
    """All (row, value_a, value_b) for pairs sharing the row (a relational join on ``row``)."""
    order_a = np.argsort(rows_a, kind="stable")
    rows_a, values_a = rows_a[order_a], values_a[order_a]
    order_b = np.argsort(rows_b, kind="stable")
    rows_b, values_b = rows_b[order_b], values_b[order_b]
    count_b = np.bincount(rows_b, minlength=n)
    first_b = np.searchsorted(rows_b, np.arange(n))
    reps = count_b[rows_a]
    out_a = np.repeat(np.arange(len(rows_a)), reps)
    offsets = np.arange(len(out_a)) - np.repeat(np.cumsum(reps) - reps, reps)
    out_rows = rows_a[out_a]
    return out_rows, values_a[out_a], values_b[first_b[out_rows] + offsets]


CANDIDATE_CHUNK = 2_000_000


def candidate_chunks(frame: Frame, vectors: Vectors, size=CANDIDATE_CHUNK):
    """Candidate pairs (a < b, rows of the frame) in chunks of at most ``size``, each without repeats; a
    pair found through several keys may come again in a later chunk. Streaming keeps memory flat: the full
    analysis scores chunk by chunk and keeps only what it finds."""
    n = len(frame)
    rows, units = coverage_pairs(frame)
    _u, unit_index = np.unique(units, return_inverse=True)
    _a, area_index = np.unique(frame.areas[:, 1], return_inverse=True)
    r1, unit_i, area_i = join(
        rows, unit_index.ravel(), frame.areas[:, 0].astype(np.int64), area_index.ravel(), n
    )
    place = unit_i * 64 + area_i
    # Small blocks (recipient × area): every pair. Large ones: sub-blocks by distinctive word.
    _p, place_index, place_size = np.unique(place, return_inverse=True, return_counts=True)
    small = place_size[place_index.ravel()] <= BLOCK_CAP
    sources = [(place[small], r1[small])]
    word_rows, words = top_words(vectors.text)
    r2, place_i, word_i = join(r1[~small], place[~small], word_rows, words, n)
    sources.append(((place_i << 20) | word_i, r2))
    del r1, place, r2, place_i, word_i
    # Identifiers: the same project number or IATI identifier, wherever the initiatives are.
    id_matrix = vectors.identifiers.tocoo()
    if id_matrix.nnz:
        sources.append((id_matrix.col.astype(np.int64), id_matrix.row.astype(np.int64)))
    for keys, key_rows in sources:
        for a, b in group_pair_chunks(keys, key_rows, vectors.start):
            for begin in range(0, len(a), size):
                low = np.minimum(a[begin : begin + size], b[begin : begin + size])
                high = np.maximum(a[begin : begin + size], b[begin : begin + size])
                distinct = low != high
                if distinct.any():
                    yield unique_pairs(low[distinct], high[distinct], n)


def block_pairs(frame: Frame, vectors: Vectors):
    """Every candidate pair (a < b, rows of the frame), unique (for small sets and the benchmark)."""
    chunks = list(candidate_chunks(frame, vectors))
    if not chunks:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return unique_pairs(
        np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks]), len(frame)
    )


def unique_pairs(low, high, n):
    """Distinct (low, high) pairs, sorted (a sort, much faster than a hash on tens of millions)."""
    code = low * n + high
    code.sort(kind="stable" if len(code) < 1000 else "quicksort")
    if len(code):
        code = code[np.concatenate([[True], code[1:] != code[:-1]])]
    return code // n, code % n


def group_pair_chunks(keys, rows, start):
    """Pairs of rows sharing a key: all pairs in a small group, ``WINDOW`` neighbours by start date in a
    large one; one chunk per distance in the sorted order."""
    if not len(keys):
        return
    order = np.lexsort((start[rows], keys))
    keys, rows = keys[order], rows[order]
    boundaries = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate([[0], boundaries])
    sizes = np.diff(np.concatenate([starts, [len(keys)]]))
    size = np.repeat(sizes, sizes)
    small = size <= BLOCK_CAP
    index = np.flatnonzero(size > 1)
    del size, starts, boundaries
    for d in range(1, BLOCK_CAP):
        index = index[index + d < len(keys)]
        same = keys[index] == keys[index + d]
        index = index[same & (small[index] | (d <= WINDOW))]
        if not len(index):
            break
        yield rows[index], rows[index + d]


def group_pairs(keys, rows, start):
    chunks = list(group_pair_chunks(keys, rows, start))
    if not chunks:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate([c[0] for c in chunks]), np.concatenate([c[1] for c in chunks])


def rowwise(matrix, a, b):
    """Row-by-row dot products ``matrix[a] · matrix[b]``."""
    return np.asarray(matrix[a].multiply(matrix[b]).sum(axis=1)).ravel()


def cross(left, right, a, b):
    """Row-by-row dot products ``left[a] · right[b]`` (two matrices with the same columns)."""
    return np.asarray(left[a].multiply(right[b]).sum(axis=1)).ravel()


def ochiai(matrix, a, b):
    """Cosine of two 0/1 rows: shared / √(size_a × size_b)."""
    shared = rowwise(matrix, a, b)
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    product = sizes[a] * sizes[b]
    return np.where(product > 0, shared / np.sqrt(np.where(product > 0, product, 1)), 0.0)


def jaccard(matrix, a, b):
    shared = rowwise(matrix, a, b)
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    union = sizes[a] + sizes[b] - shared
    return np.where(union > 0, shared / np.where(union > 0, union, 1), 0.0)


@dataclass
class Scores:
    a: np.ndarray
    b: np.ndarray
    score: np.ndarray
    duplicate_score: np.ndarray
    text: np.ndarray
    title: np.ndarray
    organizations: np.ndarray
    countries: np.ndarray
    areas: np.ndarray
    period: np.ndarray
    overlap_days: np.ndarray
    date_distance: np.ndarray
    budget_ratio: np.ndarray
    same_identifier: np.ndarray

    def __len__(self):
        return len(self.a)

    def take(self, mask):
        return Scores(**{k: getattr(self, k)[mask] for k in self.__dataclass_fields__})

    @classmethod
    def concat(cls, parts):
        if not parts:
            empty = np.zeros(0)
            return cls(**{k: empty for k in cls.__dataclass_fields__})
        return cls(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in cls.__dataclass_fields__})

    def unique(self, n):
        """Each pair once (a pair scored in several chunks)."""
        if not len(self.a):
            return self
        _codes, first = np.unique(self.a.astype(np.int64) * n + self.b.astype(np.int64), return_index=True)
        return self.take(np.sort(first))

    def found(self):
        """Pairs worth keeping: overlaps and duplicates."""
        return self.take(is_overlap(self) | is_duplicate(self))


def is_overlap(scores):
    """Overlaps worth keeping (strong or weaker signals), not duplicates."""
    return (scores.score >= WEAK_OVERLAP_THRESHOLD) & (scores.text >= WEAK_TEXT_GATE) & ~is_duplicate(scores)


def is_strong_overlap(scores):
    return (scores.score >= OVERLAP_THRESHOLD) & (scores.text >= TEXT_GATE) & ~is_duplicate(scores)


def is_duplicate_value(value):
    return value >= DUPLICATE_THRESHOLD


def is_overlap_value(score, text, strong=True):
    if strong:
        return score >= OVERLAP_THRESHOLD and text >= TEXT_GATE
    return score >= WEAK_OVERLAP_THRESHOLD and text >= WEAK_TEXT_GATE


def is_duplicate(scores):
    return scores.duplicate_score >= DUPLICATE_THRESHOLD


def score_pairs(vectors: Vectors, a, b):
    """Scores of the pairs (a[i], b[i]) (rows of the vectors), in chunks."""
    parts = []
    for begin in range(0, len(a), PAIR_CHUNK):
        parts.append(_score_chunk(vectors, a[begin : begin + PAIR_CHUNK], b[begin : begin + PAIR_CHUNK]))
    return Scores.concat(parts)


def _score_chunk(v: Vectors, a, b):
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    overlap_days = np.minimum(v.end[a], v.end[b]) - np.maximum(v.start[a], v.start[b])
    both_known = v.known[a] & v.known[b]
    # Periods too far apart: no duplication of effort, and not the same initiative.
    near = ~both_known | (overlap_days >= -MAX_GAP_DAYS)
    same_id = rowwise(v.identifiers, a, b) > 0
    keep = near | same_id
    a, b, overlap_days, both_known, same_id = (
        a[keep],
        b[keep],
        overlap_days[keep],
        both_known[keep],
        same_id[keep],
    )
    shorter = np.maximum(np.minimum(v.end[a] - v.start[a], v.end[b] - v.start[b]), 1)
    period = np.where(both_known, np.clip(overlap_days / shorter, 0, 1), 0.0)
    distance = np.abs(v.start[a] - v.start[b]) + np.abs(v.end[a] - v.end[b])
    dates = np.where(both_known, np.clip(1 - distance / 730.0, 0, 1), 0.0)
    text = np.clip(rowwise(v.text, a, b), 0, 1)
    title = np.clip(rowwise(v.title, a, b), 0, 1)
    organizations = jaccard(v.organizations, a, b)
    # An organization doing the work (not only funding) in one of the two records, named by the other too.
    shared_implementer = (
        cross(v.organizations, v.implementers, a, b) + cross(v.implementers, v.organizations, a, b)
    ) > 0
    countries = jaccard(v.units, a, b)  # recipients as listed: the same initiative lists the same ones
    # Places covered (a regional initiative counts in its countries): the cosine of the two sets of places
    # (√(shared/|A| × shared/|B|)), so a national initiative inside a regional one still counts for a part.
    covered = ochiai(v.covered, a, b)
    areas = jaccard(v.areas, a, b)
    budget_a, budget_b = v.usd_budget[a], v.usd_budget[b]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.minimum(budget_a, budget_b) / np.maximum(budget_a, budget_b)
    ratio = np.where(np.isfinite(ratio), ratio, np.nan)
    w = OVERLAP_WEIGHTS
    score = (
        w["text"] * text
        + w["organizations"] * organizations
        + w["period"] * period
        + w["areas"] * areas
        + w["countries"] * covered
    )
    d = DUPLICATE_WEIGHTS
    duplicate = (
        d["title"] * title
        + d["text"] * text
        + d["organizations"] * organizations
        + d["countries"] * countries
        + d["dates"] * dates
        + d["budget"] * np.nan_to_num(ratio, nan=0.5)
    )
    # Without a shared recipient, neither an overlap nor (unless an identifier says so) a duplicate.
    shared_place = covered > 0
    score = np.where(shared_place, score, 0.0)
    # The same initiative from two sources names at least one of the same organizations doing the work (in
    # any role: one source may list it as funder, the other as implementer); other organizations doing the
    # same work in the same place, even with the same donor, are an overlap, not a duplicate: a donor
    # funds many similar projects in a country.
    duplicate = np.where(shared_place & (text >= DUPLICATE_TEXT_GATE) & shared_implementer, duplicate, 0.0)
    duplicate = np.where(same_id, np.maximum(duplicate, IDENTIFIER_SCORE), duplicate)
    return Scores(
        a=a,
        b=b,
        score=np.round(score, 4),
        duplicate_score=np.round(duplicate, 4),
        text=text,
        title=title,
        organizations=organizations,
        countries=countries,
        areas=areas,
        period=period,
        overlap_days=np.maximum(overlap_days, 0) * both_known,
        date_distance=np.where(both_known, distance, -1),
        budget_ratio=ratio,
        same_identifier=same_id,
    )
