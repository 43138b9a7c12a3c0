"""The staff console's forms (WTForms through Flask-WTF, which adds and checks the CSRF token).

The metadata form's rules are the ingest's sidecar rules (a real date, an http(s) address, a
publication id, the vocabulary's terms), so a sidecar written from it is read without warnings.
May import: flask_wtf, wtforms, library.vocab, and the staff package's sidecars.
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from library.vocab import Vocabulary
from webapp.staff.sidecars import clean

_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
_DOC_ID = re.compile(r"[\w.\-]+(/[\w.\-]+)*")
MAX_AUTHORS = 30


class SignInForm(FlaskForm):  # type: ignore[misc]
    """The sign-in form: account name and password."""

    username = StringField(
        "Account name",
        validators=[InputRequired(), Length(max=64)],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired(), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ConfirmForm(FlaskForm):  # type: ignore[misc]
    """A form with nothing but its CSRF token: sign out, reindex, remove."""


class CheckboxesField(SelectMultipleField):  # type: ignore[misc]
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _real_date(form: Any, field: Field) -> None:
    """YYYY, YYYY-MM or YYYY-MM-DD that exists on the calendar, years 1000 to 2999."""
    text = clean(field.data or "")
    problem = "Write the date as YYYY-MM-DD, YYYY-MM or YYYY (for example 2019-03-04)."
    if not _DATE.fullmatch(text):
        raise ValidationError(problem)
    year, _, rest = text.partition("-")
    month, _, day = rest.partition("-")
    try:
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise ValidationError("That date does not exist on the calendar.") from None
    if not 1000 <= int(year) <= 2999:
        raise ValidationError(problem)


def _web_address(form: Any, field: Field) -> None:
    """An absolute http or https address."""
    try:
        parts = urlsplit(clean(field.data or ""))
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise ValidationError("Give the full address, starting with https:// or http://.")


def _publication_id(form: Any, field: Field) -> None:
    """A publication id such as 'families/first-48-hours' (the path without its extension)."""
    text = clean(field.data or "").strip("/").removeprefix("documents/")
    if not _DOC_ID.fullmatch(text) or ".." in text.split("/"):
        raise ValidationError("Give the other edition's id, such as families/first-48-hours.")
    field.data = text


def _names(form: Any, field: Field) -> None:
    """One author per line, at most MAX_AUTHORS."""
    names = [clean(line) for line in (field.data or "").splitlines() if clean(line)]
    if len(names) > MAX_AUTHORS:
        raise ValidationError(f"At most {MAX_AUTHORS} authors.")
    if any(len(name) > 200 for name in names):
        raise ValidationError("An author's name is at most 200 characters.")


class MetadataForm(FlaskForm):  # type: ignore[misc]
    """What a sidecar says about a publication; an empty field is inferred from the text."""

    title = StringField("Title", validators=[Optional(), Length(max=300)])
    summary = TextAreaField("Summary", validators=[Optional(), Length(max=4000)])
    date = StringField(
        "Publication date",
        validators=[Optional(), _real_date],
        description="YYYY-MM-DD, YYYY-MM or YYYY",
    )
    type = SelectField("Type", choices=[])
    topics = CheckboxesField("Topics", choices=[])
    audiences = CheckboxesField("Audiences", choices=[])
    language = SelectField("Language", choices=[])
    source_url = StringField(
        "Original web address", validators=[Optional(), Length(max=2000), _web_address]
    )
    translation_of = StringField(
        "Edition of",
        validators=[Optional(), Length(max=300), _publication_id],
        description="The id of the same publication in the other language, e.g. families/first-48-hours",
    )
    authors = TextAreaField(
        "Authors",
        validators=[Optional(), Length(max=8000), _names],
        description='One per line, "Family, Given" for a person; empty means the program',
    )

    def offer(self, vocabulary: Vocabulary, languages: dict[str, str]) -> None:
        """Fill the choices from the vocabulary (labels shown, ids sent)."""
        infer = [("", "Infer from the text")]
        self.type.choices = infer + _choices(vocabulary, "types")
        self.topics.choices = _choices(vocabulary, "topics")
        self.audiences.choices = _choices(vocabulary, "audiences")
        self.language.choices = infer + [(code, name) for code, name in languages.items()]

    def values(self) -> dict[str, Any]:
        """The sidecar values the form holds."""
        return {
            "title": self.title.data or "",
            "summary": self.summary.data or "",
            "date": self.date.data or "",
            "type": self.type.data or "",
            "topics": _in_order(self.topics),
            "audiences": _in_order(self.audiences),
            "language": self.language.data or "",
            "source_url": self.source_url.data or "",
            "translation_of": self.translation_of.data or "",
            "authors": [line for line in (self.authors.data or "").splitlines() if line.strip()],
        }

    def show(self, values: dict[str, Any]) -> None:
        """Put a sidecar's values into the form."""
        for key, value in values.items():
            field = getattr(self, key, None)
            if field is not None:
                field.data = "\n".join(value) if key == "authors" else value


class UploadForm(MetadataForm):
    """A new publication: the file, where it goes, and its metadata."""

    file = FileField("File", validators=[FileRequired("Choose the file to add.")])
    folder = SelectField("Folder", choices=[])
    name = StringField(
        "File name",
        validators=[Optional(), Length(max=80)],
        description="Lowercase words and hyphens; it becomes the web address. Empty: made from the title",
    )
    replace = BooleanField("Replace the publication of that name if there is one")


class ReplaceForm(FlaskForm):  # type: ignore[misc]
    """A new file for an existing publication (its metadata stays)."""

    file = FileField("New file", validators=[FileRequired("Choose the new file.")])


def _in_order(field: CheckboxesField) -> list[str]:
    """The ticked choices in the vocabulary's order (whatever order the browser sent)."""
    ticked = set(field.data or ())
    return [value for value, _ in field.choices if value in ticked]


def _choices(vocabulary: Vocabulary, kind: str) -> list[tuple[str, str]]:
    """(id, label) of a kind's terms, in the vocabulary's order."""
    return [(term_id, term.label) for term_id, term in vocabulary.kind(kind).items()]
