"""The Italian catalogue is complete, compiled, covers every string in the source,
and its placeholders match the English."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.utils import translation

SOURCE = Path(__file__).resolve().parents[1] / "src/tierdesk"
LC_MESSAGES = SOURCE / "locale/it/LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0]*\d*(?:\.\d+)?[sdif]|%[sdif]")

HOW_TO_FIX = (
    "run `tierdesk makemessages -l it --ignore=.venv --no-location` in src/tierdesk, translate, "
    "then `tierdesk compilemessages -l it`"
)


@pytest.fixture(scope="module")
def po():
    return polib.pofile(str(LC_MESSAGES / "django.po"))


def live(po):
    return [entry for entry in po if not entry.obsolete]


def test_the_catalogue_is_not_empty(po):
    assert len(live(po)) > 100


def test_every_entry_is_translated(po):
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    assert untranslated == [], f"untranslated: {untranslated[:10]}; {HOW_TO_FIX}"


def test_no_entry_is_fuzzy(po):
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert fuzzy == [], f"fuzzy: {fuzzy[:10]}"
    assert not po.metadata_is_fuzzy


def test_placeholders_survive_translation(po):
    wrong = []
    for entry in live(po):
        if entry.msgid_plural:
            expected = set(PLACEHOLDER.findall(entry.msgid_plural))
            got = [set(PLACEHOLDER.findall(text)) for text in entry.msgstr_plural.values()]
            if any(found - expected for found in got) or expected - got[-1]:
                wrong.append(entry.msgid)
        elif sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
            wrong.append(entry.msgid)
    assert wrong == []


def test_the_compiled_mo_matches_the_po(po):
    mo = polib.mofile(str(LC_MESSAGES / "django.mo"))

    def key(entry):
        plural = tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else ()
        return (entry.msgctxt, entry.msgid, entry.msgid_plural, entry.msgstr, plural)

    in_po = {key(entry) for entry in live(po) if entry.translated() and entry.msgid}
    in_mo = {key(entry) for entry in mo if entry.msgid}
    assert in_po == in_mo, f"django.mo is out of date: {HOW_TO_FIX}"


def test_django_loads_the_italian_catalogue():
    with translation.override("it"):
        assert translation.gettext("How can we help?") == "Come possiamo aiutarti?"
        assert translation.ngettext("Try again in %(minutes)s minute.", "x", 2) != "x"


GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge")


def catalogue_key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in GETTEXT_TOOLS),
    reason="GNU gettext (xgettext, msguniq, msgmerge) is not installed: "
    "`apt-get install gettext` to check the catalogue against the source",
)
def test_every_translatable_string_in_the_source_is_in_the_catalogue(
    po, tmp_path, monkeypatch, settings
):
    """makemessages on a copy of the source finds nothing the committed catalogue lacks."""
    copy = tmp_path / "tierdesk"
    shutil.copytree(
        SOURCE,
        copy,
        ignore=shutil.ignore_patterns("var", "__pycache__", "*.pyc", "migrations", "*.mo"),
    )
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    call_command(
        "makemessages",
        locale=["it"],
        extensions=["html", "txt", "py"],
        ignore_patterns=[".venv", "migrations"],
        no_location=True,
        verbosity=0,
    )
    fresh = polib.pofile(str(copy / "locale/it/LC_MESSAGES/django.po"))
    committed = {catalogue_key(entry) for entry in live(po) if entry.translated()}

    missing = [entry.msgid for entry in live(fresh) if catalogue_key(entry) not in committed]
    assert missing == [], f"not in the catalogue: {missing[:10]}; {HOW_TO_FIX}"
    untranslated = [entry.msgid for entry in fresh.untranslated_entries()]
    assert untranslated == [], f"untranslated: {untranslated[:10]}; {HOW_TO_FIX}"
    fuzzy = [entry.msgid for entry in fresh.fuzzy_entries()]
    assert fuzzy == [], f"fuzzy (a source string changed): {fuzzy[:10]}; {HOW_TO_FIX}"
