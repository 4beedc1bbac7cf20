"""Load a whole-organisation document (``okr.exports.organisation``) into this database.

``import_document(file)`` reads the document as it was written, a row per line,
so a large organisation never sits in memory as one parsed object (a document
laid out otherwise, say pretty-printed, is parsed whole). Everything happens in
one transaction: any problem (a row that names an unknown id, a value that is
not valid, ids this database already holds) raises ``ImportProblem`` and writes
nothing.

Rows are inserted per table in chunks (``bulk_create``), with the times of the
document kept (``auto_now`` is held off meanwhile). A reference to a row of a
later table, or of the same one (a team's parent), is filled in at the end.
People are matched by e-mail address; those not in this database yet are made
with an unusable password (they set one by resetting it, or sign in with SSO).
The stored numbers of objectives and key results are then recomputed by the
progress engine (``okr.objectives.stored``).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import uuid as uuid_module
from collections import defaultdict
from collections.abc import Iterator

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from okr.exports import sections as spec
from okr.exports.sections import Section

CHUNK = 1000


class ImportProblem(Exception):
    """The document cannot be imported here; the message says why (nothing was written)."""


# --- Reading ------------------------------------------------------------------------------------


def _row(line: str, number: int) -> dict:
    try:
        row = json.loads(line.rstrip().rstrip(","))
    except ValueError:
        raise ImportProblem(_("Line %(line)s is not valid JSON.") % {"line": number}) from None
    if not isinstance(row, dict):
        raise ImportProblem(_("Line %(line)s is not a row.") % {"line": number})
    return row


def _table_start(line: str) -> tuple[str, bool] | None:
    """``"name": [`` (a table begins) or ``"name": [],`` (an empty one): its name and if it ended."""
    text = line.rstrip()
    if not text.startswith('"') or '": [' not in text:
        return None
    name, _sep, rest = text.partition('": [')
    if rest not in ("", "]", "],", "]}"):
        return None
    return name[1:], rest != ""


def _read_lines(lines) -> Iterator[tuple[str, object]]:
    number = 0
    for line in lines:
        number += 1
        if not line.strip():
            continue
        if number == 1:
            yield "header", _row(line.lstrip("{").rstrip().rstrip(",").join("{}"), number)
            continue
        if line.startswith('"organisation": '):
            yield (
                "organisation",
                _row("{" + line.rstrip().rstrip(",") + "}", number)["organisation"],
            )
            continue
        start = _table_start(line)
        if start is None:
            raise ImportProblem(_("Line %(line)s is not what was expected.") % {"line": number})
        name, ended = start
        if ended:
            yield name, iter(())
            continue

        def table_rows():
            nonlocal number
            for row_line in lines:
                number += 1
                if row_line.startswith("]"):
                    return
                yield _row(row_line, number)
            raise ImportProblem(_("The document ends inside a table."))

        yield name, table_rows()


def _read_whole(file) -> Iterator[tuple[str, object]]:
    try:
        document = json.load(file)
    except ValueError:
        raise ImportProblem(_("The file is not a JSON document.")) from None
    if not isinstance(document, dict):
        raise ImportProblem(_("The file is not an organisation's export."))
    yield "header", {k: v for k, v in document.items() if not isinstance(v, list | dict)}
    yield "organisation", document.get("organisation") or {}
    for name, value in document.items():
        if isinstance(value, list) and name != "left_out":
            yield name, iter(value)


def read(file) -> Iterator[tuple[str, object]]:
    """("header", dict), ("organisation", dict), then (table name, its rows) in order."""
    first = file.readline()
    if first.startswith("{") and first.rstrip().endswith(",") and '"format"' in first:

        def lines():
            yield first
            yield from file

        return _read_lines(lines())
    file.seek(0)
    return _read_whole(file)


# --- Writing ------------------------------------------------------------------------------------


@contextlib.contextmanager
def _document_times(models):
    """Keep the document's times: ``auto_now`` and ``auto_now_add`` are off meanwhile."""
    saved = []
    for model in models:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


class _Import:
    """Two passes over the document: ids first (people made or matched), then the rows."""

    def __init__(self, organisation: Organisation):
        self.organisation = organisation
        self.ids: dict[type, dict[str, int]] = defaultdict(dict)  # model -> uuid -> pk
        self.counts: dict[str, int] = {}

    def problem(self, section: Section, number: int, message: str):
        return ImportProblem(f"{section.name}, row {number}: {message}")

    def value(self, section: Section, f, value, number: int):
        try:
            return f.to_python(value)
        except ValidationError as error:
            text = "; ".join(str(m) for m in error.messages)
            raise self.problem(section, number, f"{f.name}: {text}") from None

    def reference(self, section: Section, f, code, number: int) -> int | None:
        if code is None:
            return None
        found = self.ids[f.related_model].get(str(code))
        if found is None:
            message = _("%(field)s names %(id)s, which is not in the document.")
            raise self.problem(section, number, message % {"field": f.name, "id": code})
        return found

    def build(self, section: Section, row: dict, number: int):
        obj = section.model()
        if any(f.name == "organisation" for f in section.model._meta.concrete_fields):
            obj.organisation_id = self.organisation.pk
        for f in section.fields():
            if f.name not in row:
                continue
            value = row[f.name]
            if f.is_relation:
                setattr(obj, f.attname, self.reference(section, f, value, number))
            else:
                setattr(obj, f.attname, self.value(section, f, value, number))
        for name, make in section.fill:
            setattr(obj, name, make())
        if section.history_of is not None:
            obj.id = self.ids[section.history_of].get(str(row.get("uuid")))
            if obj.id is None:
                raise self.problem(section, number, _("a version of a row not in the document."))
        elif _keyed(section):
            obj.pk = self.ids[section.model].get(str(obj.uuid))
        return obj

    # --- The first pass: an id for every row with a public id -----------------------------------

    def allocate(self, section: Section, rows) -> None:
        """Take ids from the table's sequence for the section's rows (after checking they are new)."""
        if not _keyed(section):
            _skip(rows)
            return
        chunk: list[str] = []
        for number, row in enumerate(rows, 1):
            code = row.get("uuid")
            try:
                chunk.append(str(uuid_module.UUID(str(code))))
            except ValueError:
                raise self.problem(section, number, _("uuid: not a valid id.")) from None
            if len(chunk) >= CHUNK:
                self._allocate(section, chunk)
                chunk = []
        self._allocate(section, chunk)

    def _allocate(self, section: Section, codes: list[str]) -> None:
        if not codes:
            return
        model = section.model
        first = model._default_manager.filter(uuid__in=codes).values_list("uuid", flat=True)[:1]
        taken = next(iter(first), None)
        if taken is not None:
            message = _(
                "This database already holds %(table)s %(id)s: the organisation, "
                "or part of it, was imported here before."
            )
            raise ImportProblem(message % {"table": section.name, "id": taken})
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, model._meta.pk.column, len(codes)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        known = self.ids[model]
        for code, pk in zip(codes, ids, strict=True):
            if code in known:
                raise ImportProblem(f"{section.name}: {code} twice")
            known[code] = pk

    # --- The second pass: the rows --------------------------------------------------------------

    def flush(self, section: Section, batch: list, m2m: list[tuple[object, dict]]) -> None:
        if not batch:
            return
        try:
            with transaction.atomic():
                section.model._default_manager.bulk_create(batch)
        except IntegrityError as error:
            message = _("%(table)s could not be written: %(error)s")
            raise ImportProblem(message % {"table": section.name, "error": error}) from None
        for f in section.many_to_many():
            through = f.remote_field.through
            source, target = f.m2m_field_name() + "_id", f.m2m_reverse_field_name() + "_id"
            links = []
            for obj, row in m2m:
                for code in row.get(f.name) or []:
                    found = self.ids[f.related_model].get(str(code))
                    if found is None:
                        raise ImportProblem(f"{section.name}: {f.name} {code}?")
                    links.append(through(**{source: obj.pk, target: found}))
            through._default_manager.bulk_create(links, batch_size=CHUNK)

    def section(self, section: Section, rows) -> None:
        batch, m2m, number = [], [], 0
        has_m2m = bool(section.many_to_many())
        for number, row in enumerate(rows, 1):  # noqa: B007 - the count is kept
            obj = self.build(section, row, number)
            batch.append(obj)
            if has_m2m:
                m2m.append((obj, row))
            if len(batch) >= CHUNK:
                self.flush(section, batch, m2m)
                batch, m2m = [], []
        self.flush(section, batch, m2m)
        self.counts[section.name] = number

    # --- People: matched by e-mail, else made (in the first pass) ---------------------------------

    def users(self, rows) -> None:
        section = spec.user_section()
        batch: list[dict] = []
        number = 0
        for number, row in enumerate(rows, 1):  # noqa: B007
            batch.append(row)
            if len(batch) >= CHUNK:
                self._users(section, batch)
                batch = []
        self._users(section, batch)
        self.counts[section.name] = number

    def _users(self, section: Section, rows: list[dict]) -> None:
        if not rows:
            return
        emails = {str(row.get("email") or "").strip().lower() for row in rows}
        known = dict(
            User.objects.annotate(address=Lower("email"))
            .filter(address__in=emails)
            .values_list("address", "pk")
        )
        codes = [str(row.get("uuid")) for row in rows]
        taken = {str(c) for c in User.objects.filter(uuid__in=codes).values_list("uuid", flat=True)}
        new = []
        for number, row in enumerate(rows, 1):
            email = str(row.get("email") or "").strip().lower()
            if not email:
                raise self.problem(section, number, _("a person without an e-mail address."))
            if email in known:
                self.ids[User][str(row["uuid"])] = known[email]
                continue
            user = self.build(section, row, number)
            user.pk = None
            user.password = make_password(None)  # unusable: a password reset or SSO sets one
            user.is_staff = user.is_superuser = False
            if str(user.uuid) in taken:  # the id is someone else's here: a new one
                user.uuid = uuid_module.uuid4()
            new.append((str(row["uuid"]), user))
            known[email] = 0
        User.objects.bulk_create([user for _code, user in new])
        for code, user in new:
            self.ids[User][code] = user.pk


def _skip(rows) -> None:
    for _row in rows:
        pass


def _keyed(section: Section) -> bool:
    """Rows known by their own public id (other rows may point to them)."""
    return section.history_of is None and any(f.name == "uuid" for f in section.fields())


def _organisation(data: dict, slug: str | None) -> Organisation:
    if not isinstance(data, dict) or not data.get("uuid"):
        raise ImportProblem(_("The document holds no organisation."))
    if Organisation.objects.filter(uuid=data["uuid"]).exists():
        raise ImportProblem(
            _(
                "This database already holds the organisation %(id)s. Import it into another database."
            )
            % {"id": data["uuid"]}
        )
    organisation = Organisation()
    for f in spec.organisation_fields():
        if f.name in data:
            try:
                setattr(organisation, f.attname, f.to_python(data[f.name]))
            except ValidationError as error:
                raise ImportProblem(
                    f"organisation: {f.name}: {'; '.join(error.messages)}"
                ) from None
    if slug:
        organisation.slug = slug
    if Organisation.objects.filter(slug=organisation.slug).exists():
        raise ImportProblem(
            _(
                "An organisation with the address %(slug)s exists here already: choose another one (--slug)."
            )
            % {"slug": organisation.slug}
        )
    organisation.save(force_insert=True)
    return organisation


def _seekable(file):
    if file.seekable():
        return file
    copy = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
    shutil.copyfileobj(file, copy)
    copy.seek(0)
    return copy


def _start(file, slug: str | None):
    """The document's parts after its organisation (made here), and that organisation."""
    parts = read(file)
    kind, header = next(parts, ("", None))
    if kind != "header" or not isinstance(header, dict) or header.get("format") != spec.FORMAT:
        raise ImportProblem(_("The file is not an organisation's export."))
    if header.get("version") != spec.VERSION:
        raise ImportProblem(_("This version of the export is not known here."))
    kind, data = next(parts, ("", None))
    if kind != "organisation":
        raise ImportProblem(_("The document holds no organisation."))
    return parts, data


def import_document(file, *, slug: str | None = None) -> tuple[Organisation, dict[str, int]]:
    """Import the document in ``file`` (a text file); all or nothing.

    Returns the organisation and the number of rows of each table.
    """
    from okr.objectives import stored

    file = _seekable(file)
    by_name = {section.name: section for section in spec.sections()}
    models = [Organisation, *(section.model for section in by_name.values())]
    with transaction.atomic(), _document_times(models):
        parts, data = _start(file, slug)
        work = _Import(_organisation(data, slug))
        for name, rows in parts:
            section = by_name.get(name)
            if section is None:
                message = _("The document holds an unknown table: %(name)s.")
                raise ImportProblem(message % {"name": name})
            if section.model is User:
                work.users(rows)
            else:
                work.allocate(section, rows)
        file.seek(0)
        parts, _data = _start(file, slug)
        for name, rows in parts:
            section = by_name[name]
            if section.model is User:
                _skip(rows)  # made or matched in the first pass
            else:
                work.section(section, rows)
        stored.refresh_organisation(work.organisation, everything=True)
    return work.organisation, work.counts
