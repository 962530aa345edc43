"""Every catalog is complete in zh-Hans and its compiled .mo matches the .po."""
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = sorted([*ROOT.glob("sanxin/*/locale/zh_Hans/LC_MESSAGES/django.po"),
                   *ROOT.glob("locale/zh_Hans/LC_MESSAGES/django.po")])


def test_there_are_catalogs():
    assert len(CATALOGS) >= 4


@pytest.mark.parametrize("po_path", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalog_is_fully_translated_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == [], f"untranslated in {po_path}: {missing[:10]}"
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} missing: run compilemessages"
    compiled = {(f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid): e.msgstr or e.msgstr_plural.get(0)
                for e in polib.mofile(str(mo_path))}
    for entry in po:
        if entry.obsolete:
            continue
        expected = entry.msgstr or entry.msgstr_plural.get(0)
        key = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}\x04{entry.msgid}"
        assert compiled.get(key) == expected, f"{mo_path} is stale for {entry.msgid!r}"


def test_a_source_string_has_one_translation_across_catalogs():
    """Django merges every app's catalog into one: a msgid translated differently in two catalogs
    shows only one of them everywhere (a case's "title" once read 职务). The same English with
    different meanings takes a context (pgettext, `{% translate "…" context "…" %}`)."""
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for po_path in CATALOGS:
        for entry in polib.pofile(str(po_path)):
            if entry.obsolete or entry.msgid_plural:
                continue
            seen.setdefault((entry.msgctxt or "", entry.msgid), {})[
                str(po_path.relative_to(ROOT))] = entry.msgstr
    clashes = {key: found for key, found in seen.items() if len(set(found.values())) > 1}
    assert clashes == {}, clashes
