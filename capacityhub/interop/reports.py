"""What an import found and did, per file: errors and warnings (each naming the record, the element and a
rule id) and counts. Shared by the IATI and BCH imports, their commands and the upload page."""

from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
#: At most this many problems are kept per file (the counts stay exact), so that memory stays flat on a file
#: where every record is wrong.
MAX_KEPT = 1000


@dataclass
class Problem:
    """One error or warning. ``activity`` is the record's identifier (IATI identifier, organisation
    identifier or BCH identifier) or its position when it has none; ``element`` an XPath-like location."""

    rule: str
    message: str
    activity: str = ""
    element: str = ""
    line: int | None = None
    severity: str = ERROR

    def as_dict(self):
        data = asdict(self)
        data["message"] = str(self.message)
        return data


@dataclass
class FileReport:
    """The outcome of one file. ``valid`` is true when the file has no error; it was then imported whole
    (unless ``dry_run``), otherwise nothing of it was written."""

    file: str
    kind: str = ""  # "activities", "organisations", "bch"
    version: str = ""
    dry_run: bool = False
    activities: int = 0  # records read from the file
    in_scope: int = 0
    skipped: int = 0  # activities that are not biosafety capacity-building
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    organizations_created: int = 0
    error_count: int = 0
    warning_count: int = 0
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def valid(self):
        return self.error_count == 0

    @property
    def written(self):
        return self.valid and not self.dry_run

    def add(self, problem):
        if problem.severity == WARNING:
            self.warning_count += 1
            if len(self.warnings) < MAX_KEPT:
                self.warnings.append(problem)
        else:
            self.error_count += 1
            if len(self.errors) < MAX_KEPT:
                self.errors.append(problem)

    def error(self, rule, message, **where):
        self.add(Problem(rule, message, **where))

    def warning(self, rule, message, **where):
        self.add(Problem(rule, message, severity=WARNING, **where))

    def errors_by_activity(self):
        """``[(activity, [problems])]`` in the order found, for the upload page."""
        groups = {}
        for problem in self.errors:
            groups.setdefault(problem.activity, []).append(problem)
        return list(groups.items())

    def as_dict(self):
        return {
            "file": self.file,
            "valid": self.valid,
            "kind": self.kind,
            "version": self.version,
            "dry_run": self.dry_run,
            "activities": self.activities,
            "in_scope": self.in_scope,
            "skipped": self.skipped,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "organizations_created": self.organizations_created,
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "errors": [
                {
                    k: v
                    for k, v in p.as_dict().items()
                    if k in ("activity", "element", "rule", "message", "line")
                }
                for p in self.errors
            ],
            "warnings": [
                {
                    k: v
                    for k, v in p.as_dict().items()
                    if k in ("activity", "element", "rule", "message", "line")
                }
                for p in self.warnings
            ],
        }
