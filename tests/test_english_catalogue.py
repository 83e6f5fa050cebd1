"""The English catalogue is complete, compiled and current.

Every entry of ``locale/en/LC_MESSAGES/django.po`` has a translation and none is fuzzy; the
committed ``django.mo`` holds exactly what the ``.po`` says (a fresh machine need not have
gettext); and, where the gettext tools are installed, ``makemessages`` finds no text in the
code or templates that the catalogue lacks.
"""

import ast
import gettext
import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = LOCALE / "en" / "LC_MESSAGES" / "django.mo"


def read_po(path: Path) -> list[dict]:
    """Return the entries of a .po file: their flags and fields (msgid, msgstr[0], …)."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry = {"flags": set(), "fields": {}}
        field = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry["fields"][field] += ast.literal_eval(line)
            else:
                field, _, value = line.partition(" ")
                entry["fields"][field] = ast.literal_eval(value)
        if entry["fields"].get("msgid"):
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    fields = entry["fields"]
    return [value for name, value in fields.items() if name.startswith("msgstr")]


def test_the_reader_sees_an_empty_or_fuzzy_entry(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr "Language: en\\n"\n\n'
        'msgid "Xếp hạng"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Tổng quan"\nmsgstr "Overview"\n\n'
        'msgid "Còn %(n)d ngày"\nmsgid_plural "Còn %(n)d ngày"\n'
        'msgstr[0] "%(n)d day left"\nmsgstr[1] ""\n',
        encoding="utf-8",
    )
    entries = read_po(po)
    assert [e["fields"]["msgid"] for e in entries] == ["Xếp hạng", "Tổng quan", "Còn %(n)d ngày"]
    assert translations(entries[0]) == [""]
    assert "fuzzy" in entries[1]["flags"]
    assert translations(entries[2]) == ["%(n)d day left", ""]


def test_every_entry_of_the_english_catalogue_is_translated_and_none_is_fuzzy():
    entries = read_po(PO)
    assert len(entries) > 1000
    untranslated = [e["fields"]["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["fields"]["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


def test_the_committed_mo_file_holds_what_the_po_file_says():
    with MO.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in read_po(PO):
        fields = entry["fields"]
        if "msgid_plural" in fields:
            for n, name in ((1, "msgstr[0]"), (2, "msgstr[1]")):
                got = compiled.ngettext(fields["msgid"], fields["msgid_plural"], n)
                assert got == fields[name], fields["msgid"]
        else:
            assert compiled.gettext(fields["msgid"]) == fields["msgstr"], fields["msgid"]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools are not installed")
def test_the_catalogue_has_every_text_the_code_and_templates_mark(tmp_path, settings):
    """Run makemessages over a copy of the sources and the catalogue: it must find no new text.

    A copy, because makemessages writes into the catalogue nearest to the files it reads.
    """
    base = Path(settings.BASE_DIR)
    skip = shutil.ignore_patterns("__pycache__", "benchmark")
    for folder in ("parindex", "templates", "locale"):
        shutil.copytree(base / folder, tmp_path / folder, ignore=skip)
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    here = Path.cwd()
    os.chdir(tmp_path)
    try:
        call_command("makemessages", locale=["en"], verbosity=0)
    finally:
        os.chdir(here)
    fresh = {
        e["fields"]["msgid"] for e in read_po(tmp_path / "locale" / "en/LC_MESSAGES/django.po")
    }
    known = {e["fields"]["msgid"] for e in read_po(PO)}
    assert len(fresh) > 1000  # the run found the project's texts
    assert sorted(fresh - known) == [], "run: manage.py makemessages -l en, translate, compile"
